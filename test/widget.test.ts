import { rmSync } from "node:fs";
import { and, asc, count, desc, eq, inArray, like, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/server/app";
import { queryRows } from "../src/server/db/client";
import { activity, outbox, sessions, signInLinks, tenants, users } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { sha256 } from "../src/server/lib/crypto";
import type { App } from "../src/server/lib/http";
import { invalidSignInLink, signInMailKind } from "../src/server/modules/widget/sign-in-links";
import { widgetSignature } from "../src/server/modules/widget/widget.routes";
import { type ApiResponse, createTestApp, openTestDatabase, type TestApp, testConfig } from "./helpers/app";
import { type MailCatcher, mailCatcher } from "./helpers/mail-catcher";
import { settle } from "./helpers/socket";

describe("chat widget identities", () => {
  let t: TestApp;
  let secret: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.login("admin@acme.test");
    const settings = await t.api("GET", "/settings/widget", { token: admin });
    expect(settings.status).toBe(200);
    expect(settings.body.snippet).toContain('data-tenant="acme"');
    secret = settings.body.secret;
  });
  afterAll(() => t.close());

  it("an anonymous visitor becomes a lead with a session that can start a chat", async () => {
    const res = await t.api("POST", "/widget/session", {
      body: { tenant: "acme", name: "Nadia Visitor", email: "nadia@visitor.test" },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: "customer", email: "nadia@visitor.test" });
    const [row] = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.email, "nadia@visitor.test")),
    );
    expect(row!.leadStatus).toBe("new");
    expect(row!.passwordHash).toBeNull();
    const chat = await t.api("POST", "/conversations", {
      token: res.body.token,
      body: { message: "Do you offer business accounts?" },
    });
    expect(chat.status).toBe(201);
  });

  it("a known email never opens someone's history: no session, only a sign-in link by email", async () => {
    const res = await t.api("POST", "/widget/session", {
      body: { tenant: "acme", name: "Not John", email: "john@acme.test" },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ verification: "sent", email: "john@acme.test" });
    expect(res.headers["set-cookie"]).toBeUndefined();
    const again = await t.api("POST", "/widget/session", {
      body: { tenant: "acme", name: "Nadia Again", email: "nadia@visitor.test" },
    });
    expect(again.status).toBe(202);
    expect(again.body).not.toHaveProperty("token");
    expect(
      (await t.api("POST", "/widget/session", { body: { tenant: "nowhere", name: "X", email: "x@x.test" } }))
        .status,
    ).toBe(404);
    const bad = await t.api("POST", "/widget/session", { body: { tenant: "acme", name: "", email: "nope" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(["email", "name"]);
  });

  it("a host site identifies its signed-in user with a fresh signature", async () => {
    const timestamp = now();
    const body = {
      tenant: "acme",
      externalId: "crm-1042",
      name: "Rita Ora",
      email: "rita@acme.test",
      timestamp,
      signature: widgetSignature(secret, "crm-1042", timestamp),
    };
    const first = await t.api("POST", "/widget/identify", { body });
    expect(first.status).toBe(200);
    const second = await t.api("POST", "/widget/identify", { body });
    expect(second.body.user.id).toBe(first.body.user.id);
    // An existing customer is linked by email the first time their site vouches for them.
    const ts = now();
    const john = await t.api("POST", "/widget/identify", {
      body: {
        tenant: "acme",
        externalId: "crm-7",
        name: "John Doe",
        email: "john@acme.test",
        timestamp: ts,
        signature: widgetSignature(secret, "crm-7", ts),
      },
    });
    expect(john.status).toBe(200);
    expect(john.body.user.email).toBe("john@acme.test");
  });

  it("refuses forged, stale, cross-tenant and staff identities", async () => {
    const ts = now();
    const base = { tenant: "acme", externalId: "crm-9", name: "Mallory", email: "mallory@acme.test" };
    const forged = await t.api("POST", "/widget/identify", {
      body: { ...base, timestamp: ts, signature: widgetSignature("not-the-secret", "crm-9", ts) },
    });
    expect(forged.status).toBe(401);
    const old = ts - 3600;
    const stale = await t.api("POST", "/widget/identify", {
      body: { ...base, timestamp: old, signature: widgetSignature(secret, "crm-9", old) },
    });
    expect(stale.status).toBe(401);
    const otherId = await t.api("POST", "/widget/identify", {
      body: { ...base, externalId: "crm-10", timestamp: ts, signature: widgetSignature(secret, "crm-9", ts) },
    });
    expect(otherId.status).toBe(401);
    const globex = await t.api("POST", "/widget/identify", {
      body: { ...base, tenant: "globex", timestamp: ts, signature: widgetSignature(secret, "crm-9", ts) },
    });
    expect(globex.status).toBe(401);
    const staff = await t.api("POST", "/widget/identify", {
      body: {
        ...base,
        email: "sarah@acme.test",
        timestamp: ts,
        signature: widgetSignature(secret, "crm-9", ts),
      },
    });
    expect(staff.status).toBe(409);
    const created = await inSystem(t.database.db, (tx) =>
      tx.select().from(users).where(eq(users.email, "mallory@acme.test")),
    );
    expect(created).toEqual([]);
  });

  it("rotating the secret invalidates old signatures; only admins see it", async () => {
    const admin = await t.login("admin@acme.test");
    const rotated = await t.api("POST", "/settings/widget/rotate", { token: admin });
    expect(rotated.body.secret).not.toBe(secret);
    const ts = now();
    const old = await t.api("POST", "/widget/identify", {
      body: {
        tenant: "acme",
        externalId: "crm-1042",
        name: "Rita Ora",
        email: "rita@acme.test",
        timestamp: ts,
        signature: widgetSignature(secret, "crm-1042", ts),
      },
    });
    expect(old.status).toBe(401);
    const [row] = await inSystem(t.database.db, (tx) =>
      tx.select().from(tenants).where(eq(tenants.slug, "acme")),
    );
    expect(row!.widgetSecret).toBe(rotated.body.secret);
    expect((await t.api("GET", "/settings/widget", { token: await t.login("sarah@acme.test") })).status).toBe(
      403,
    );
    secret = rotated.body.secret;
  });
});

async function until<T>(probe: () => Promise<T> | T, what: string, ms = 15_000): Promise<NonNullable<T>> {
  for (const end = Date.now() + ms; Date.now() < end; await settle(50)) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("a returning visitor signs in with an emailed one-time link", () => {
  let smtp: MailCatcher;
  let app: App;
  let shutdown: () => Promise<void>;
  /** Every line the server logs, at its most talkative level and before any censoring. */
  const logLines: string[] = [];
  /** Every real link token this run handed out, to look for afterwards in the database and the logs. */
  const tokens: string[] = [];
  let lastIp = 0;
  /** Each test comes from its own address, so one test's per-address limits do not reach the next. */
  const newIp = () => `203.0.113.${++lastIp}`;
  const db = () => app.deps.database.db;

  beforeAll(async () => {
    smtp = await mailCatcher();
    const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, LOG_LEVEL: "trace" });
    const { database, drop } = await openTestDatabase();
    const logger = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
    app = await buildApp({ config, database, logger });
    await app.ready();
    shutdown = async () => {
      await app.close();
      await database.close();
      await drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    await shutdown?.();
    await smtp?.close();
  });

  const api = async (
    method: "GET" | "POST",
    path: string,
    options: { body?: unknown; token?: string; ip?: string } = {},
  ): Promise<ApiResponse> => {
    const res = await app.inject({
      method,
      url: `/api/v1${path}`,
      headers: {
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.ip ? { "x-forwarded-for": options.ip } : {}),
      },
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
  };
  const askForLink = (email: string, ip: string, tenant = "acme", name = "Ana Lima") =>
    api("POST", "/widget/session", { ip, body: { tenant, name, email } });
  const signIn = (token: string, ip: string, tenant = "acme") =>
    api("POST", "/widget/sign-in", { ip, body: { tenant, token } });

  const tokenIn = (text: string): string => {
    const token = /#signin=([A-Za-z0-9_-]{43})\b/.exec(text)?.[1];
    if (!token) throw new Error(`no sign-in link in:\n${text}`);
    if (!tokens.includes(token)) tokens.push(token);
    return token;
  };
  const signInMails = (to: string) =>
    smtp.mails.filter((m) => m.to.includes(to) && m.subject.startsWith("Your sign-in link"));
  /** The newest sign-in email queued for someone, as the outbox holds it. */
  const queuedToken = async (to: string) => {
    const [row] = await db()
      .select({ body: outbox.body })
      .from(outbox)
      .where(and(eq(outbox.kind, signInMailKind), eq(outbox.recipient, to)))
      .orderBy(desc(outbox.createdAt))
      .limit(1);
    return tokenIn(row?.body ?? "");
  };
  const userByEmail = async (email: string) => {
    const [row] = await db().select().from(users).where(eq(users.email, email));
    return row!;
  };
  const linksOf = (userId: string) =>
    db().select().from(signInLinks).where(eq(signInLinks.userId, userId)).orderBy(asc(signInLinks.createdAt));
  const countOf = async (table: typeof outbox | typeof signInLinks | typeof sessions | typeof activity) =>
    (await db().select({ n: count() }).from(table))[0]!.n;
  /** What a refused request must leave untouched. */
  const footprint = async () => ({
    links: await db().select().from(signInLinks).orderBy(asc(signInLinks.id)),
    outbox: await countOf(outbox),
    sessions: await countOf(sessions),
    activity: await countOf(activity),
    users: (await db().select({ n: count() }).from(users))[0]!.n,
  });
  const refusal = invalidSignInLink().message;

  it("a known customer gets exactly one email whose link signs them in to their earlier chat, once", async () => {
    const ip = newIp();
    const first = await askForLink("ana@acme.test", ip);
    expect(first.status).toBe(201);
    const chat = await api("POST", "/conversations", {
      token: first.body.token,
      body: { message: "Has my transfer to Lisbon gone through?" },
    });
    expect(chat.status).toBe(201);

    // Another device, the same address (typed differently).
    const back = await askForLink(" Ana@Acme.TEST ", ip, "acme", "Ana");
    expect(back.status).toBe(202);
    expect(back.body).toEqual({ verification: "sent", email: "ana@acme.test" });
    expect(back.headers["set-cookie"]).toBeUndefined();

    const mail = await until(() => signInMails("ana@acme.test")[0], "the sign-in email");
    expect(mail.subject).toBe("Your sign-in link for Acme Bank");
    expect(mail.text).toContain("Hello Ana Lima,");
    expect(mail.text).toContain("expires in 15 minutes");
    const token = tokenIn(mail.text);
    const link = new URL(/(\S+#signin=\S+)/.exec(mail.text)![1]!);
    expect(`${link.origin}${link.pathname}${link.search}`).toBe(
      `${app.deps.config.publicUrl}/widget?tenant=acme`,
    );
    await settle(1500);
    expect(signInMails("ana@acme.test")).toHaveLength(1);

    const signedIn = await signIn(token, ip);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({
      id: first.body.user.id,
      email: "ana@acme.test",
      role: "customer",
    });
    expect(signedIn.body.token).toEqual(expect.any(String));
    expect(signedIn.body.token).not.toBe(first.body.token);
    expect(Date.parse(signedIn.body.expiresAt)).toBeGreaterThan(Date.now());
    const mine = await api("GET", "/conversations", { token: signedIn.body.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([chat.body.id]);
    const history = await api("GET", `/conversations/${chat.body.id}/messages`, {
      token: signedIn.body.token,
    });
    expect(history.body.items.map((m: { body: string }) => m.body)).toContain(
      "Has my transfer to Lisbon gone through?",
    );

    const before = await footprint();
    const reused = await signIn(token, ip);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe("unauthenticated");
    expect(reused.body.error.message).toBe(refusal);
    expect(await footprint()).toEqual(before);

    const [link1] = await linksOf(first.body.user.id);
    expect(link1!.usedAt).toBeInstanceOf(Date);
    const trail = await db()
      .select()
      .from(activity)
      .where(and(eq(activity.subjectId, first.body.user.id), like(activity.action, "widget.%")))
      .orderBy(asc(activity.seq));
    expect(trail.map((a) => a.action)).toEqual(["widget.sign_in_link_sent", "widget.signed_in_by_link"]);
    expect(trail[0]).toMatchObject({ actorId: null, ip, metadata: { via: "widget", linkId: link1!.id } });
    expect(trail[1]).toMatchObject({ actorId: first.body.user.id, metadata: { linkId: link1!.id } });
  });

  it("an expired link is refused with the same answer and changes nothing", async () => {
    const ip = newIp();
    expect((await askForLink("ana@acme.test", ip)).status).toBe(202);
    const token = await queuedToken("ana@acme.test");
    await db()
      .update(signInLinks)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(signInLinks.tokenHash, sha256(token)));
    const before = await footprint();
    const res = await signIn(token, ip);
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: "unauthenticated", message: refusal });
    expect(await footprint()).toEqual(before);
    const unknown = await signIn("A".repeat(43), ip);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(refusal);
  });

  it("a link works only in the tenant that sent it", async () => {
    const ip = newIp();
    const sent = await askForLink("marge@globex.test", ip, "globex", "Marge Simpson");
    expect(sent.status).toBe(202);
    const token = await queuedToken("marge@globex.test");
    const before = await footprint();
    const elsewhere = await signIn(token, ip, "acme");
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error.message).toBe(refusal);
    expect(await footprint()).toEqual(before);
    const home = await signIn(token, ip, "globex");
    expect(home.status).toBe(200);
    expect(home.body.user).toMatchObject({ email: "marge@globex.test" });
  });

  it("staff emails are refused, unknown tenants are not found, and neither leaves a trace", async () => {
    const ip = newIp();
    const before = await footprint();
    const staff = await askForLink("sarah@acme.test", ip, "acme", "Sarah");
    expect(staff.status).toBe(409);
    expect(staff.body.error.details.fields).toEqual({ email: "belongs to a staff member" });
    expect((await askForLink("ana@acme.test", ip, "nowhere")).status).toBe(404);
    const nowhere = await signIn(tokens[0]!, ip, "nowhere");
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe("not_found");
    expect(await footprint()).toEqual(before);
  });

  it("malformed requests are refused field by field and change nothing", async () => {
    const ip = newIp();
    const before = await footprint();
    const fieldsOf = async (body: unknown, path = "/widget/sign-in") => {
      const res = await api("POST", path, { ip, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      return res.body.error.details.fields as Record<string, string>;
    };
    expect(Object.keys(await fieldsOf({})).sort()).toEqual(["tenant", "token"]);
    expect(await fieldsOf({ tenant: "acme", token: "abc" })).toEqual({
      token: "must be the token of a sign-in link",
    });
    expect(Object.keys(await fieldsOf({ tenant: "acme", token: `${"A".repeat(42)}=` }))).toEqual(["token"]);
    expect(Object.keys(await fieldsOf({ tenant: "Not a slug!", token: "A".repeat(43) }))).toEqual(["tenant"]);
    expect(await fieldsOf({ tenant: "acme", token: "A".repeat(43), email: "ana@acme.test" })).toEqual({
      email: "is not a known field",
    });
    expect(Object.keys(await fieldsOf({ tenant: "acme", token: 42 }))).toEqual(["token"]);
    expect(await fieldsOf("{not json")).toEqual({ body: "is not valid JSON" });
    expect(
      Object.keys(await fieldsOf({ tenant: "acme", name: "Ana", email: "ana@" }, "/widget/session")),
    ).toEqual(["email"]);
    expect(await footprint()).toEqual(before);
  });

  it("a deactivated customer gets the same answer, no email, and an earlier link stops working", async () => {
    const ip = newIp();
    expect((await askForLink("bob@acme.test", ip)).status).toBe(202);
    const earlier = await queuedToken("bob@acme.test");
    const bob = await userByEmail("bob@acme.test");
    await db().update(users).set({ status: "deactivated" }).where(eq(users.id, bob.id));
    const before = await footprint();
    const res = await askForLink("bob@acme.test", ip);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ verification: "sent", email: "bob@acme.test" });
    const refused = await signIn(earlier, ip);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe(refusal);
    expect(await footprint()).toEqual(before);
    await settle(1500);
    expect(signInMails("bob@acme.test")).toHaveLength(1);
  });

  it(`at most three live links per person: a fourth is refused with Retry-After until one is spent`, async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) expect((await askForLink("jane@acme.test", ip)).status).toBe(202);
    const jane = await userByEmail("jane@acme.test");
    const before = await footprint();
    const fourth = await askForLink("jane@acme.test", ip);
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe("rate_limited");
    expect(fourth.body.error.message).toContain("already emailed you 3 sign-in links");
    const retryAfter = Number(fourth.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(await footprint()).toEqual(before);
    expect(await linksOf(jane.id)).toHaveLength(3);

    // Every one of the three works; spending one makes room for another.
    const bodies = await db()
      .select({ body: outbox.body })
      .from(outbox)
      .where(and(eq(outbox.kind, signInMailKind), eq(outbox.recipient, "jane@acme.test")));
    const three = bodies.map((b) => tokenIn(b.body));
    expect(new Set(three).size).toBe(3);
    expect((await signIn(three[1]!, ip)).status).toBe(200);
    expect((await askForLink("jane@acme.test", ip)).status).toBe(202);
  });

  it("each address may ask for a limited number of sessions and links", async () => {
    const ip = newIp();
    for (let i = 0; i < 20; i++) expect((await askForLink("sarah@acme.test", ip)).status).toBe(409);
    const limited = await askForLink("ana@acme.test", ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await askForLink("sarah@acme.test", newIp())).status).toBe(409);
  });

  it("failed exchanges are limited per address, even for a good link", async () => {
    const ip = newIp();
    for (let i = 0; i < 30; i++) {
      const res = await signIn(`${String(i).padStart(2, "0")}${"B".repeat(41)}`, ip);
      expect(res.status).toBe(401);
    }
    expect((await askForLink("john@acme.test", newIp())).status).toBe(202);
    const token = await queuedToken("john@acme.test");
    const limited = await signIn(token, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    const [link] = await db()
      .select()
      .from(signInLinks)
      .where(eq(signInLinks.tokenHash, sha256(token)));
    expect(link!.usedAt).toBeNull();
    expect((await signIn(token, newIp())).status).toBe(200);
  });

  it("the routes are in the API's published schema", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths["/api/v1/widget/session"].post.responses)).toEqual(
      expect.arrayContaining(["201", "202", "409", "429"]),
    );
    const signInDoc = doc.paths["/api/v1/widget/sign-in"].post;
    expect(Object.keys(signInDoc.responses)).toEqual(expect.arrayContaining(["200", "401", "429"]));
    expect(signInDoc.requestBody.content["application/json"].schema.required).toEqual(["tenant", "token"]);
  });

  it("no token is ever logged, and the database keeps one only in the email of a link still unused", async () => {
    const ip = newIp();
    expect((await askForLink("ana@acme.test", ip)).status).toBe(202);
    const token = await queuedToken("ana@acme.test");
    await until(() => signInMails("ana@acme.test").some((m) => m.text.includes(token)), "the email");
    const tables = await inSystem(db(), (tx) =>
      queryRows<{ name: string }>(
        tx,
        sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      ),
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["sign_in_links", "activity", "outbox"]),
    );
    const holders = async (secret: string) => {
      const found: string[] = [];
      for (const { name } of tables) {
        const [hit] = await inSystem(db(), (tx) =>
          queryRows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from ${sql.identifier(name)} t where strpos(t::text, ${secret}) > 0`,
          ),
        );
        if (hit!.n) found.push(`${name}:${hit!.n}`);
      }
      return found;
    };
    expect(await holders(token)).toEqual(["outbox:1"]);
    expect(await holders(sha256(token))).toEqual(["sign_in_links:1"]);

    expect((await signIn(token, ip)).status).toBe(200);
    expect(await holders(token)).toEqual([]);

    // Every link of this run: nowhere but the email of one still unused, and in no log line at all.
    const live = new Set(
      (
        await db()
          .select({ hash: signInLinks.tokenHash })
          .from(signInLinks)
          .where(sql`${signInLinks.usedAt} is null and ${signInLinks.expiresAt} > now()`)
      ).map((l) => l.hash),
    );
    expect(tokens.length).toBeGreaterThanOrEqual(8);
    for (const t of tokens) {
      const found = await holders(t);
      expect(found, t).toEqual(live.has(sha256(t)) ? ["outbox:1"] : []);
    }
    expect(logLines.filter((l) => l.includes("/widget/sign-in")).length).toBeGreaterThan(30);
    expect(logLines.filter((l) => tokens.some((t) => l.includes(t)))).toEqual([]);
    const used = await db()
      .select({ n: count() })
      .from(activity)
      .where(inArray(activity.action, ["widget.sign_in_link_sent", "widget.signed_in_by_link"]));
    expect(used[0]!.n).toBeGreaterThan(10);
  });
});
