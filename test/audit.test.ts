import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, apiTokens, sessions, tenants, users } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

const userAgent = "Switchboard-Audit-Tests/1.0 (+https://switchboard.test)";
const password = "correct horse battery staple";

interface Entry {
  id: string;
  seq: number;
  actor: { id: string | null; name: string | null; type: string };
  action: string;
  subjectType: string;
  subjectId: string | null;
  oldValue: unknown;
  newValue: unknown;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

/** Reads every entry the caller may see, page by page, checking that the pages fit together. */
async function readWholeLog(t: TestApp, token: string, query = "", limit = 200): Promise<Entry[]> {
  const all: Entry[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const params = new URLSearchParams(query);
    params.set("limit", String(limit));
    if (cursor) params.set("cursor", cursor);
    const res = await t.api("GET", `/audit-log?${params}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return all;
    expect(res.body.items).toHaveLength(limit);
  }
  throw new Error("the audit log never ended");
}

describe("audit trail", () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let acmeId: string;
  /** Every secret this file handles; none may reach the activity table. */
  const secrets: string[] = [];

  /** The newest entry matching the filters, as the Acme admin sees it. */
  async function latest(filters: Record<string, string>): Promise<Entry> {
    const res = await t.api("GET", `/audit-log?${new URLSearchParams({ ...filters, limit: "1" })}`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body.items, `an entry for ${JSON.stringify(filters)}`).toHaveLength(1);
    return res.body.items[0];
  }

  async function signIn(
    email: string,
    tenant = "acme",
  ): Promise<{ token: string; id: string; name: string }> {
    const res = await t.api("POST", "/auth/login", {
      body: { tenant, email, password: "demo-password-1" },
      headers: { "user-agent": userAgent },
    });
    expect(res.status).toBe(200);
    secrets.push(res.body.token);
    return { token: res.body.token, id: res.body.user.id, name: res.body.user.name };
  }

  beforeAll(async () => {
    t = await createTestApp();
    const me = await signIn("admin@acme.test");
    admin = me.token;
    adminId = me.id;
    const [acme] = await inSystem(t.database.db, (tx) =>
      tx.select().from(tenants).where(eq(tenants.slug, "acme")),
    );
    acmeId = acme!.id;
  });
  afterAll(() => t.close());

  describe("every change leaves an entry naming who, what, before and after, and from where", () => {
    it("sign-in and sign-out", async () => {
      const sarah = await signIn("sarah@acme.test");
      const login = await latest({ action: "auth.login", actorId: sarah.id });
      expect(login).toMatchObject({
        actor: { id: sarah.id, name: "Sarah Johnson", type: "user" },
        subjectType: "user",
        subjectId: sarah.id,
        ip: "127.0.0.1",
        userAgent,
      });

      const out = await t.api("POST", "/auth/logout", {
        token: sarah.token,
        headers: { "user-agent": userAgent },
      });
      expect(out.status).toBe(200);
      const logout = await latest({ action: "auth.logout", actorId: sarah.id });
      expect(logout).toMatchObject({
        actor: { id: sarah.id, name: "Sarah Johnson", type: "user" },
        subjectId: sarah.id,
        userAgent,
      });
      expect(logout.seq).toBeGreaterThan(login.seq);
    });

    it("a failed sign-in of a known account", async () => {
      const res = await t.api("POST", "/auth/login", {
        body: { tenant: "acme", email: "mike@acme.test", password: "not his password" },
        headers: { "user-agent": userAgent },
      });
      expectError(res, 401, "unauthenticated");
      const entry = await latest({ action: "auth.login_failed" });
      expect(entry).toMatchObject({
        actor: { name: "Mike Chen", type: "user" },
        subjectType: "user",
        userAgent,
      });
    });

    it("a customer signing up", async () => {
      const res = await t.api("POST", "/auth/signup", {
        body: { tenant: "acme", email: "ana@acme.test", password, name: "Ana Lima" },
        headers: { "user-agent": userAgent },
      });
      expect(res.status).toBe(201);
      secrets.push(res.body.token);
      const entry = await latest({ action: "user.signed_up", subjectId: res.body.user.id });
      expect(entry).toMatchObject({
        actor: { id: res.body.user.id, name: "Ana Lima", type: "user" },
        subjectType: "user",
        oldValue: null,
        newValue: { email: "ana@acme.test", name: "Ana Lima", role: "customer" },
        ip: "127.0.0.1",
        userAgent,
      });
    });

    it("staff created, changed and deactivated", async () => {
      const headers = { "user-agent": userAgent };
      const created = await t.api("POST", "/staff", {
        token: admin,
        headers,
        body: { email: "nina@acme.test", name: "Nina Alvarez", role: "agent" },
      });
      expect(created.status).toBe(201);
      secrets.push(created.body.temporaryPassword);
      const id: string = created.body.id;
      expect(await latest({ action: "staff.created", subjectId: id })).toMatchObject({
        actor: { id: adminId, name: "Olivia Grant", type: "user" },
        subjectType: "user",
        oldValue: null,
        newValue: { email: "nina@acme.test", name: "Nina Alvarez", role: "agent", maxChats: 5, maxCalls: 2 },
        ip: "127.0.0.1",
        userAgent,
      });

      const renamed = await t.api("PATCH", `/staff/${id}`, {
        token: admin,
        headers,
        body: { name: "Nina Alvarez-Ruiz", maxChats: 7 },
      });
      expect(renamed.status).toBe(200);
      expect(await latest({ action: "staff.updated", subjectId: id })).toMatchObject({
        actor: { id: adminId, type: "user" },
        oldValue: { name: "Nina Alvarez", maxChats: 5 },
        newValue: { name: "Nina Alvarez-Ruiz", maxChats: 7 },
        userAgent,
      });

      const promoted = await t.api("PATCH", `/staff/${id}`, {
        token: admin,
        headers,
        body: { role: "team_lead" },
      });
      expect(promoted.status).toBe(200);
      expect(await latest({ action: "staff.updated", subjectId: id })).toMatchObject({
        oldValue: { role: "agent" },
        newValue: { role: "team_lead" },
      });

      const gone = await t.api("DELETE", `/staff/${id}`, { token: admin, headers });
      expect(gone.status).toBe(200);
      expect(await latest({ action: "staff.deactivated", subjectId: id })).toMatchObject({
        actor: { id: adminId, name: "Olivia Grant", type: "user" },
        oldValue: { status: "active" },
        newValue: { status: "deactivated" },
        userAgent,
      });
    });

    it("availability, set by the person or by their team lead", async () => {
      const mike = await signIn("mike@acme.test");
      const own = await t.api("PATCH", "/me/availability", {
        token: mike.token,
        headers: { "user-agent": userAgent },
        body: { status: "away" },
      });
      expect(own.status).toBe(200);
      expect(await latest({ action: "staff.availability_changed", subjectId: mike.id })).toMatchObject({
        actor: { id: mike.id, name: "Mike Chen", type: "user" },
        oldValue: { availability: "offline" },
        newValue: { availability: "away" },
        userAgent,
      });

      const lead = await signIn("lead@acme.test");
      const until = new Date(Date.now() + 15 * 60_000).toISOString();
      const brk = await t.api("PATCH", `/staff/${mike.id}`, {
        token: lead.token,
        headers: { "user-agent": userAgent },
        body: { availability: { status: "on_break", until } },
      });
      expect(brk.status).toBe(200);
      expect(await latest({ action: "staff.availability_changed", subjectId: mike.id })).toMatchObject({
        actor: { id: lead.id, name: "Tom Baker", type: "user" },
        oldValue: { availability: "away", availabilityUntil: null },
        newValue: { availability: "on_break", availabilityUntil: until },
        userAgent,
      });
    });

    it("teams created, changed and deleted", async () => {
      const headers = { "user-agent": userAgent };
      const created = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Night Shift" } });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect(await latest({ action: "team.created", subjectId: id })).toMatchObject({
        actor: { id: adminId, type: "user" },
        subjectType: "team",
        oldValue: null,
        newValue: { id, name: "Night Shift", leadId: null, memberIds: [] },
        userAgent,
      });

      const renamed = await t.api("PATCH", `/teams/${id}`, {
        token: admin,
        headers,
        body: { name: "Late Shift" },
      });
      expect(renamed.status).toBe(200);
      expect(await latest({ action: "team.updated", subjectId: id })).toMatchObject({
        oldValue: { name: "Night Shift" },
        newValue: { name: "Late Shift" },
        userAgent,
      });

      const deleted = await t.api("DELETE", `/teams/${id}`, { token: admin, headers });
      expect(deleted.status).toBe(200);
      expect(await latest({ action: "team.deleted", subjectId: id })).toMatchObject({
        actor: { id: adminId, type: "user" },
        oldValue: { id, name: "Late Shift" },
        newValue: null,
        userAgent,
      });
    });

    it("a settings change", async () => {
      const res = await t.api("PATCH", "/settings", {
        token: admin,
        headers: { "user-agent": userAgent },
        body: { autoAssignment: false },
      });
      expect(res.status).toBe(200);
      expect(await latest({ action: "settings.updated" })).toMatchObject({
        actor: { id: adminId, name: "Olivia Grant", type: "user" },
        subjectType: "tenant",
        subjectId: acmeId,
        oldValue: { autoAssignment: true },
        newValue: { autoAssignment: false },
        userAgent,
      });
    });

    it("API tokens created, used and revoked; work done with a token names the token as the actor type", async () => {
      const created = await t.api("POST", "/me/tokens", {
        token: admin,
        headers: { "user-agent": userAgent },
        body: { name: "Nightly report" },
      });
      expect(created.status).toBe(201);
      const apiToken: string = created.body.token;
      secrets.push(apiToken);
      expect(await latest({ action: "api_token.created", subjectId: created.body.id })).toMatchObject({
        actor: { id: adminId, type: "user" },
        subjectType: "api_token",
        newValue: { name: "Nightly report", prefix: created.body.prefix },
        userAgent,
      });

      const viaToken = await t.api("POST", "/teams", {
        token: apiToken,
        headers: { "user-agent": "report-cron/2.3" },
        body: { name: "Weekend Crew" },
      });
      expect(viaToken.status).toBe(201);
      expect(await latest({ action: "team.created", subjectId: viaToken.body.id })).toMatchObject({
        actor: { id: adminId, name: "Olivia Grant", type: "api_token" },
        userAgent: "report-cron/2.3",
      });

      const revoked = await t.api("DELETE", `/me/tokens/${created.body.id}`, {
        token: admin,
        headers: { "user-agent": userAgent },
      });
      expect(revoked.status).toBe(200);
      expect(await latest({ action: "api_token.revoked", subjectId: created.body.id })).toMatchObject({
        actor: { id: adminId, type: "user" },
        subjectType: "api_token",
        userAgent,
      });
      expectError(await t.api("GET", "/me", { token: apiToken }), 401, "unauthenticated");
    });

    it("a refused change leaves no entry", async () => {
      const before = await readWholeLog(t, admin);
      const sarah = await signIn("sarah@acme.test");
      const after = await readWholeLog(t, admin);
      const loginEntry = after[0]!;
      expect(loginEntry.action).toBe("auth.login");

      expectError(
        await t.api("POST", "/teams", { token: sarah.token, body: { name: "Rogue Team" } }),
        403,
        "forbidden",
      );
      expectError(
        await t.api("POST", "/teams", { token: admin, body: { name: "Front Desk" } }),
        409,
        "conflict",
      );
      expectError(
        await t.api("PATCH", "/settings", { token: admin, body: { defaultMaxChats: 0 } }),
        400,
        "validation_failed",
      );
      expect(await readWholeLog(t, admin)).toEqual(after);
      expect(after.length).toBe(before.length + 1);
    });
  });

  describe("reading the trail", () => {
    it("lists newest first and filters by exact action and by an action prefix", async () => {
      const all = await readWholeLog(t, admin);
      const seqs = all.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

      const exact = await readWholeLog(t, admin, "action=staff.updated");
      expect(exact.length).toBe(2);
      expect(exact.every((e) => e.action === "staff.updated")).toBe(true);

      const prefix = await readWholeLog(t, admin, "action=staff.");
      expect(prefix).toEqual(all.filter((e) => e.action.startsWith("staff.")));
      expect(new Set(prefix.map((e) => e.action))).toEqual(
        new Set(["staff.created", "staff.updated", "staff.deactivated", "staff.availability_changed"]),
      );

      expect(await readWholeLog(t, admin, "action=staff")).toEqual([]);
      expect(await readWholeLog(t, admin, "action=nothing.like.this")).toEqual([]);
    });

    it("filters by actor, by subject and by time", async () => {
      const all = await readWholeLog(t, admin);
      const byAdmin = await readWholeLog(t, admin, `actorId=${adminId}`);
      expect(byAdmin.length).toBeGreaterThan(5);
      expect(byAdmin).toEqual(all.filter((e) => e.actor.id === adminId));

      const sarah = all.find((e) => e.action === "auth.login" && e.actor.name === "Sarah Johnson")!;
      const aboutSarah = await readWholeLog(t, admin, `subjectType=user&subjectId=${sarah.subjectId}`);
      expect(aboutSarah.length).toBeGreaterThanOrEqual(3);
      expect(aboutSarah).toEqual(
        all.filter((e) => e.subjectType === "user" && e.subjectId === sarah.subjectId),
      );
      const teamsOnly = await readWholeLog(t, admin, "subjectType=team");
      expect(teamsOnly).toEqual(all.filter((e) => e.subjectType === "team"));

      const middle = all[Math.floor(all.length / 2)]!;
      const from = await readWholeLog(t, admin, `from=${middle.createdAt}`);
      expect(from).toEqual(all.filter((e) => e.createdAt >= middle.createdAt));
      expect(from).toContainEqual(middle);
      const to = await readWholeLog(t, admin, `to=${middle.createdAt}`);
      expect(to).toEqual(all.filter((e) => e.createdAt <= middle.createdAt));
      const window = await readWholeLog(t, admin, `from=${middle.createdAt}&to=${middle.createdAt}`);
      expect(window).toEqual(all.filter((e) => e.createdAt === middle.createdAt));
      const future = new Date(Date.now() + 3600_000).toISOString();
      expect(await readWholeLog(t, admin, `from=${future}`)).toEqual([]);
      const withOffset = await readWholeLog(
        t,
        admin,
        `to=${encodeURIComponent("2000-01-01T00:00:00+02:00")}`,
      );
      expect(withOffset).toEqual([]);
    });

    it("pages through the trail with a cursor: no entry twice, none left out", async () => {
      const all = await readWholeLog(t, admin);
      expect(all.length).toBeGreaterThan(20);
      for (const limit of [1, 7, all.length - 1, all.length]) {
        const paged = await readWholeLog(t, admin, "", limit);
        expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
      }
      // Filters hold across pages too.
      const staffPaged = await readWholeLog(t, admin, "action=staff.", 3);
      expect(staffPaged).toEqual(all.filter((e) => e.action.startsWith("staff.")));
      // The default page is 50.
      const first = await t.api("GET", "/audit-log", { token: admin });
      expect(first.body.items).toEqual(all.slice(0, 50));
    });

    it("refuses bad filters with the field named, and a cursor it did not issue", async () => {
      const cases: Array<[string, string]> = [
        ["actorId=olivia", "actorId"],
        ["from=yesterday", "from"],
        ["to=2024-13-45", "to"],
        ["limit=0", "limit"],
        ["limit=201", "limit"],
        ["limit=ten", "limit"],
        ["cursor=not-a-cursor", "cursor"],
        [`action=${"x".repeat(81)}`, "action"],
        ["orderBy=seq", "orderBy"],
      ];
      for (const [query, field] of cases) {
        const res = await t.api("GET", `/audit-log?${query}`, { token: admin });
        expectError(res, 400, "validation_failed");
        expect(Object.keys(res.body.error.details.fields), query).toContain(field);
      }
    });

    it("the verify endpoint accepts an untouched chain and counts every entry", async () => {
      const all = await readWholeLog(t, admin);
      const res = await t.api("GET", "/audit-log/verify", { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, checked: all.length, firstTampered: null });
    });

    it("keeps tenants apart: Globex's admin sees only Globex's trail", async () => {
      const acme = await readWholeLog(t, admin);
      const globexAdmin = await signIn("admin@globex.test", "globex");
      const globex = await readWholeLog(t, globexAdmin.token);
      expect(globex.length).toBeGreaterThan(0);
      const acmeIds = new Set(acme.map((e) => e.id));
      expect(globex.filter((e) => acmeIds.has(e.id))).toEqual([]);
      const acmeActors = new Set(acme.map((e) => e.actor.id).filter(Boolean));
      expect(globex.filter((e) => acmeActors.has(e.actor.id))).toEqual([]);
      expect(JSON.stringify(globex)).not.toMatch(/acme\.test|Olivia Grant|Night Shift/);
      // Naming an Acme person or entry explicitly finds nothing either.
      expect(await readWholeLog(t, globexAdmin.token, `actorId=${adminId}`)).toEqual([]);
      expect(await readWholeLog(t, globexAdmin.token, `subjectId=${adminId}`)).toEqual([]);

      const verify = await t.api("GET", "/audit-log/verify", { token: globexAdmin.token });
      expect(verify.body).toEqual({ ok: true, checked: globex.length, firstTampered: null });
    });

    it("only admins read it: agents, team leads, supervisors and customers are refused", async () => {
      for (const email of ["sarah@acme.test", "lead@acme.test", "supervisor@acme.test", "john@acme.test"]) {
        const { token } = await signIn(email);
        expectError(await t.api("GET", "/audit-log", { token }), 403, "forbidden");
        expectError(await t.api("GET", "/audit-log/verify", { token }), 403, "forbidden");
      }
      expectError(await t.api("GET", "/audit-log"), 401, "unauthenticated");
    });

    it("a super admin reads a tenant's trail by naming it", async () => {
      const root = await t.api("POST", "/auth/login", {
        body: { email: "root@switchboard.test", password: "demo-password-1" },
      });
      secrets.push(root.body.token);
      const viaHeader = await t.api("GET", "/audit-log?limit=5", {
        token: root.body.token,
        headers: { "x-tenant": "acme" },
      });
      expect(viaHeader.status).toBe(200);
      expect(viaHeader.body.items).toEqual((await readWholeLog(t, admin)).slice(0, 5));
      expectError(await t.api("GET", "/audit-log", { token: root.body.token }), 400, "tenant_required");
    });
  });

  it("no password, password hash, session token, API token or token hash ever reaches the trail", async () => {
    const everyone = await inSystem(t.database.db, (tx) =>
      tx.select({ hash: users.passwordHash }).from(users),
    );
    const sessionHashes = await inSystem(t.database.db, (tx) =>
      tx.select({ hash: sessions.tokenHash }).from(sessions),
    );
    const tokenHashes = await inSystem(t.database.db, (tx) =>
      tx.select({ hash: apiTokens.tokenHash }).from(apiTokens),
    );
    const forbiddenStrings = [
      password,
      "demo-password-1",
      ...secrets,
      ...everyone.map((u) => u.hash).filter((h): h is string => !!h),
      ...sessionHashes.map((s) => s.hash),
      ...tokenHashes.map((s) => s.hash),
    ];
    // The file signed in a dozen times and made a token; a vacuous check would pass with none.
    expect(sessionHashes.length).toBeGreaterThan(10);
    expect(tokenHashes.length).toBe(1);
    expect(secrets.filter((s) => s.startsWith("sbs_")).length).toBeGreaterThan(10);
    expect(secrets.filter((s) => s.startsWith("sbt_"))).toHaveLength(1);

    const rows = await inSystem(t.database.db, (tx) => tx.select().from(activity).orderBy(asc(activity.seq)));
    const dump = JSON.stringify(rows);
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of forbiddenStrings) {
      expect(secret.length).toBeGreaterThanOrEqual(10);
      expect(dump.includes(secret), `a secret starting ${secret.slice(0, 6)} is in the activity table`).toBe(
        false,
      );
    }
    expect(dump).not.toMatch(/\$argon2/);
  });
});

describe("tampering with the trail", () => {
  let t: TestApp;
  let admin: string;
  let globexAdmin: string;
  let acmeId: string;

  const acmeRows = () =>
    inSystem(t.database.db, (tx) =>
      tx.select().from(activity).where(eq(activity.tenantId, acmeId)).orderBy(asc(activity.seq)),
    );
  const verify = async (token: string) => {
    const res = await t.api("GET", "/audit-log/verify", { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    // Some history of our own on top of the seed's.
    for (const name of ["Night Shift", "Weekend Crew", "Escalations"]) {
      expect((await t.api("POST", "/teams", { token: admin, body: { name } })).status).toBe(201);
    }
    const [acme] = await inSystem(t.database.db, (tx) =>
      tx.select().from(tenants).where(eq(tenants.slug, "acme")),
    );
    acmeId = acme!.id;
  });
  afterAll(() => t.close());

  it("an entry whose recorded value was changed is named, with the entries before it counted", async () => {
    const rows = await acmeRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(await verify(admin)).toEqual({ ok: true, checked: rows.length, firstTampered: null });

    const index = 5;
    const victim = rows[index]!;
    expect(victim.newValue).not.toBeNull();
    await inSystem(t.database.db, (tx) =>
      tx
        .update(activity)
        .set({ newValue: { email: "mallory@evil.test", role: "admin" } })
        .where(eq(activity.id, victim.id)),
    );
    expect(await verify(admin)).toEqual({
      ok: false,
      checked: index,
      firstTampered: {
        id: victim.id,
        seq: victim.seq,
        createdAt: victim.createdAt.toISOString(),
        reason: "altered",
      },
    });
    // The other tenant's chain is its own and still holds.
    const globex = await verify(globexAdmin);
    expect(globex.ok).toBe(true);
    expect(globex.firstTampered).toBeNull();

    // Putting the value back makes the chain whole again: the hash covers the value, not the row's storage.
    await inSystem(t.database.db, (tx) =>
      tx.update(activity).set({ newValue: victim.newValue }).where(eq(activity.id, victim.id)),
    );
    expect(await verify(admin)).toEqual({ ok: true, checked: rows.length, firstTampered: null });
  });

  it("changing who acted, from where, or when is caught too", async () => {
    const rows = await acmeRows();
    const victim = rows[3]!;
    const changes = [
      { actorName: "Someone Else" },
      { ip: "203.0.113.7" },
      { action: "team.viewed" },
      { createdAt: new Date(victim.createdAt.getTime() + 1000) },
    ];
    for (const change of changes) {
      await inSystem(t.database.db, (tx) =>
        tx.update(activity).set(change).where(eq(activity.id, victim.id)),
      );
      const report = await verify(admin);
      expect(report.ok, JSON.stringify(change)).toBe(false);
      expect(report.firstTampered).toMatchObject({ id: victim.id, seq: victim.seq, reason: "altered" });
      await inSystem(t.database.db, (tx) =>
        tx
          .update(activity)
          .set({
            actorName: victim.actorName,
            ip: victim.ip,
            action: victim.action,
            createdAt: victim.createdAt,
          })
          .where(eq(activity.id, victim.id)),
      );
    }
    expect((await verify(admin)).ok).toBe(true);
  });

  it("a deleted entry breaks the link of the one after it, and later entries do not hide it", async () => {
    const rows = await acmeRows();
    const index = 4;
    const removed = rows[index]!;
    const next = rows[index + 1]!;
    await inSystem(t.database.db, (tx) => tx.delete(activity).where(eq(activity.id, removed.id)));
    const expected = {
      ok: false,
      checked: index,
      firstTampered: {
        id: next.id,
        seq: next.seq,
        createdAt: next.createdAt.toISOString(),
        reason: "broken_link",
      },
    };
    expect(await verify(admin)).toEqual(expected);

    // New entries keep chaining from the newest row; the gap stays visible.
    expect((await t.api("POST", "/teams", { token: admin, body: { name: "Overflow" } })).status).toBe(201);
    expect(await verify(admin)).toEqual(expected);
    expect((await verify(globexAdmin)).ok).toBe(true);
  });
});
