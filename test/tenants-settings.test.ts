import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, tenants } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

function expectInvalid(res: ApiResponse, ...fields: string[]) {
  expectError(res, 400, "validation_failed");
  for (const field of fields) expect(Object.keys(res.body.error.details.fields)).toContain(field);
}

const defaults = {
  autoAssignment: true,
  defaultMaxChats: 5,
  defaultMaxCalls: 2,
  businessHours: null,
  retention: {
    ticketArchiveDays: 180,
    ticketDeleteDays: 730,
    conversationArchiveDays: 180,
    conversationDeleteDays: 730,
  },
  masking: { accountNumbers: true, ibans: true },
  recordingEnabled: false,
  maxUploadMb: 10,
  firstResponseTargetSeconds: 120,
  autoTicketFromChat: false,
  ticketSla: {
    low: { firstResponseMinutes: 1440, resolutionMinutes: 10080 },
    medium: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
    high: { firstResponseMinutes: 120, resolutionMinutes: 1440 },
    urgent: { firstResponseMinutes: 30, resolutionMinutes: 240 },
  },
  ratingEmails: true,
  callRingTimeoutSeconds: 60,
  iceServers: [],
};

const weekdays = (open: string, close: string) => ({
  mon: { open, close },
  tue: { open, close },
  wed: { open, close },
  thu: { open, close },
  fri: { open, close },
  sat: null,
  sun: null,
});

interface Tenant {
  id: string;
  slug: string;
  name: string;
  settings: typeof defaults;
  createdAt: string;
}

describe("tenants and settings", () => {
  let t: TestApp;
  let root: string;
  let admin: string;
  let globexAdmin: string;

  async function allTenants(): Promise<Tenant[]> {
    const res = await t.api("GET", "/tenants?limit=200", { token: root });
    expect(res.status).toBe(200);
    return res.body.items;
  }
  const settingsOf = async (token = admin) => {
    const res = await t.api("GET", "/settings", { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    root = await t.login("root@switchboard.test", null);
    admin = await t.login("admin@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
  });
  afterAll(() => t.close());

  describe("tenants (super admin)", () => {
    it("lists every tenant with its settings, by slug, a page at a time", async () => {
      const all = await allTenants();
      expect(all.map((x) => [x.slug, x.name])).toEqual([
        ["acme", "Acme Bank"],
        ["globex", "Globex"],
      ]);
      expect(all[0]!.settings).toEqual(defaults);

      const first = await t.api("GET", "/tenants?limit=1", { token: root });
      expect(first.body.items.map((x: Tenant) => x.slug)).toEqual(["acme"]);
      const second = await t.api("GET", `/tenants?limit=1&cursor=${first.body.nextCursor}`, { token: root });
      expect(second.body.items.map((x: Tenant) => x.slug)).toEqual(["globex"]);
      expect(second.body.nextCursor).toBeNull();
    });

    it("creates a tenant with its first admin, who can sign in and finds an empty tenant", async () => {
      const res = await t.api("POST", "/tenants", {
        token: root,
        body: {
          slug: " Initech ",
          name: "Initech",
          admin: { email: "Bill@Initech.test", name: "Bill Lumbergh", password: "yeah-if-you-could" },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ slug: "initech", name: "Initech", settings: defaults });
      expect(res.body).not.toHaveProperty("admin");

      const bill = await t.login("bill@initech.test", "initech", "yeah-if-you-could");
      const me = await t.api("GET", "/me", { token: bill });
      expect(me.body.user).toMatchObject({
        email: "bill@initech.test",
        role: "admin",
        tenantId: res.body.id,
      });
      expect(me.body.tenant).toEqual({ id: res.body.id, slug: "initech", name: "Initech" });
      const staff = await t.api("GET", "/staff", { token: bill });
      expect(staff.body.items.map((s: { email: string }) => s.email)).toEqual(["bill@initech.test"]);
      expect((await t.api("GET", "/teams", { token: bill })).body.items).toEqual([]);
      expect(await settingsOf(bill)).toEqual(defaults);

      const trail = await t.api("GET", "/audit-log", { token: bill });
      expect(trail.body.items.map((e: { action: string }) => e.action).sort()).toEqual(
        ["auth.login", "staff.created", "tenant.created"].sort(),
      );
      expect(JSON.stringify(trail.body)).not.toContain("yeah-if-you-could");
      expect((await t.api("GET", "/audit-log/verify", { token: bill })).body.ok).toBe(true);
      expect((await allTenants()).map((x) => x.slug)).toEqual(["acme", "globex", "initech"]);
    });

    it("creates a tenant without an admin", async () => {
      const res = await t.api("POST", "/tenants", {
        token: root,
        body: { slug: "umbrella-corp", name: "Umbrella Corporation" },
      });
      expect(res.status).toBe(201);
      expect(res.body.slug).toBe("umbrella-corp");
    });

    it("refuses a slug already taken, in any letter case, and a malformed slug, creating nothing", async () => {
      const before = await allTenants();
      const taken = await t.api("POST", "/tenants", {
        token: root,
        body: { slug: "ACME", name: "Acme Again" },
      });
      expectError(taken, 409, "conflict");
      expect(taken.body.error.details.fields.slug).toBeDefined();
      for (const slug of [
        "a",
        "ab",
        "-acme",
        "acme-",
        "has space",
        "ünïcode",
        "a".repeat(41),
        "acme/../globex",
        "",
      ]) {
        expectInvalid(
          await t.api("POST", "/tenants", { token: root, body: { slug, name: "Bad Slug Ltd" } }),
          "slug",
        );
      }
      expectInvalid(
        await t.api("POST", "/tenants", { token: root, body: { slug: "hooli", name: "" } }),
        "name",
      );
      expectInvalid(
        await t.api("POST", "/tenants", {
          token: root,
          body: {
            slug: "hooli",
            name: "Hooli",
            admin: { email: "gavin@hooli.test", name: "Gavin", password: "short" },
          },
        }),
        "admin.password",
      );
      expectInvalid(
        await t.api("POST", "/tenants", {
          token: root,
          body: { slug: "hooli", name: "Hooli", plan: "gold" },
        }),
        "plan",
      );
      expect(await allTenants()).toEqual(before);
    });

    it("renames a tenant, and only renames it", async () => {
      const initech = (await allTenants()).find((x) => x.slug === "initech")!;
      const res = await t.api("PATCH", `/tenants/${initech.id}`, {
        token: root,
        body: { name: "Initech Corporation" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...initech, name: "Initech Corporation" });
      expect((await allTenants()).find((x) => x.id === initech.id)!.name).toBe("Initech Corporation");

      const before = await allTenants();
      expectInvalid(
        await t.api("PATCH", `/tenants/${initech.id}`, { token: root, body: { slug: "initrode" } }),
        "slug",
      );
      expectInvalid(
        await t.api("PATCH", `/tenants/${initech.id}`, { token: root, body: { name: "   " } }),
        "name",
      );
      expectInvalid(
        await t.api("PATCH", "/tenants/initech", { token: root, body: { name: "Initrode" } }),
        "id",
      );
      expectError(
        await t.api("PATCH", "/tenants/00000000-0000-4000-8000-000000000000", {
          token: root,
          body: { name: "Initrode" },
        }),
        404,
        "not_found",
      );
      expect(await allTenants()).toEqual(before);
    });

    it("is the super admin's alone: tenant admins and staff get 403 and change nothing", async () => {
      const before = await allTenants();
      const acme = before.find((x) => x.slug === "acme")!;
      for (const token of [
        admin,
        globexAdmin,
        await t.login("supervisor@acme.test"),
        await t.login("john@acme.test"),
      ]) {
        expectError(await t.api("GET", "/tenants", { token }), 403, "forbidden");
        expectError(
          await t.api("POST", "/tenants", { token, body: { slug: "hooli", name: "Hooli" } }),
          403,
          "forbidden",
        );
        expectError(
          await t.api("PATCH", `/tenants/${acme.id}`, { token, body: { name: "Pwned" } }),
          403,
          "forbidden",
        );
      }
      expectError(await t.api("GET", "/tenants"), 401, "unauthenticated");
      expect(await allTenants()).toEqual(before);
    });
  });

  describe("settings", () => {
    it("start from the documented defaults", async () => {
      expect(await settingsOf()).toEqual(defaults);
      expect(await settingsOf(globexAdmin)).toEqual(defaults);
    });

    it("a patch changes only what it names, nested objects included", async () => {
      const first = await t.api("PATCH", "/settings", {
        token: admin,
        body: { retention: { ticketDeleteDays: 1000 } },
      });
      expect(first.status).toBe(200);
      expect(first.body.retention).toEqual({ ...defaults.retention, ticketDeleteDays: 1000 });

      const second = await t.api("PATCH", "/settings", {
        token: admin,
        body: { retention: { ticketArchiveDays: 90 } },
      });
      expect(second.status).toBe(200);
      expect(second.body.retention).toEqual({
        ...defaults.retention,
        ticketDeleteDays: 1000,
        ticketArchiveDays: 90,
      });

      expect(
        (await t.api("PATCH", "/settings", { token: admin, body: { masking: { ibans: false } } })).status,
      ).toBe(200);
      const masking = await t.api("PATCH", "/settings", {
        token: admin,
        body: { masking: { accountNumbers: false } },
      });
      expect(masking.body.masking).toEqual({ accountNumbers: false, ibans: false });

      const urgent = { firstResponseMinutes: 15, resolutionMinutes: 120 };
      const sla = await t.api("PATCH", "/settings", { token: admin, body: { ticketSla: { urgent } } });
      expect(sla.body.ticketSla).toEqual({ ...defaults.ticketSla, urgent });
      for (const bad of [
        { urgent: { firstResponseMinutes: 0, resolutionMinutes: 1 } },
        { urgent: {} },
        { normal: urgent },
      ]) {
        const refused = await t.api("PATCH", "/settings", { token: admin, body: { ticketSla: bad } });
        expect(refused.status, JSON.stringify(bad)).toBe(400);
      }
      await t.api("PATCH", "/settings", {
        token: admin,
        body: { ticketSla: { urgent: defaults.ticketSla.urgent } },
      });

      const top = await t.api("PATCH", "/settings", {
        token: admin,
        body: {
          defaultMaxChats: 8,
          businessHours: { timezone: "Europe/London", days: weekdays("09:00", "17:30") },
        },
      });
      expect(top.status).toBe(200);
      const expected = {
        ...defaults,
        defaultMaxChats: 8,
        businessHours: { timezone: "Europe/London", days: weekdays("09:00", "17:30") },
        retention: { ...defaults.retention, ticketDeleteDays: 1000, ticketArchiveDays: 90 },
        masking: { accountNumbers: false, ibans: false },
      };
      expect(top.body).toEqual(expected);
      expect(await settingsOf()).toEqual(expected);
      // Globex is untouched.
      expect(await settingsOf(globexAdmin)).toEqual(defaults);

      const alwaysOpen = await t.api("PATCH", "/settings", { token: admin, body: { businessHours: null } });
      expect(alwaysOpen.body.businessHours).toBeNull();
    });

    it("refuses deletion before archiving, a bad time zone and bad hours, changing nothing", async () => {
      const before = await settingsOf();
      expectInvalid(
        await t.api("PATCH", "/settings", { token: admin, body: { retention: { ticketDeleteDays: 30 } } }),
        "retention",
      );
      expectInvalid(
        await t.api("PATCH", "/settings", {
          token: admin,
          body: { retention: { conversationArchiveDays: 400, conversationDeleteDays: 300 } },
        }),
        "retention",
      );
      expectInvalid(
        await t.api("PATCH", "/settings", {
          token: admin,
          body: { businessHours: { timezone: "Mars/Olympus_Mons", days: weekdays("09:00", "17:00") } },
        }),
        "businessHours.timezone",
      );
      expectInvalid(
        await t.api("PATCH", "/settings", {
          token: admin,
          body: { businessHours: { timezone: "Europe/London", days: weekdays("18:00", "09:00") } },
        }),
      );
      expectInvalid(
        await t.api("PATCH", "/settings", {
          token: admin,
          body: { businessHours: { timezone: "Europe/London", days: weekdays("9am", "5pm") } },
        }),
        "businessHours.days.mon.open",
      );
      expectInvalid(
        await t.api("PATCH", "/settings", {
          token: admin,
          body: {
            businessHours: { timezone: "Europe/London", days: { mon: { open: "09:00", close: "17:00" } } },
          },
        }),
      );
      expectInvalid(
        await t.api("PATCH", "/settings", { token: admin, body: { retention: { ticketArchiveDays: 0 } } }),
        "retention.ticketArchiveDays",
      );
      expectInvalid(
        await t.api("PATCH", "/settings", { token: admin, body: { recordingEnabled: "yes" } }),
        "recordingEnabled",
      );
      expect(await settingsOf()).toEqual(before);
    });

    it("ICE servers are the super admin's: an admin gets 403, a super admin acting in the tenant succeeds", async () => {
      const before = await settingsOf();
      const ice = [
        { urls: "stun:stun.acme.test:3478" },
        {
          urls: ["turn:turn.acme.test:3478", "turns:turn.acme.test:5349"],
          username: "acme-turn",
          credential: "t0p-secret-turn-credential",
        },
      ];
      expectError(
        await t.api("PATCH", "/settings", { token: admin, body: { iceServers: ice } }),
        403,
        "forbidden",
      );
      expectError(
        await t.api("PATCH", "/settings", { token: admin, body: { iceServers: [], autoAssignment: false } }),
        403,
        "forbidden",
      );
      expect(await settingsOf()).toEqual(before);

      const res = await t.api("PATCH", "/settings", {
        token: root,
        headers: { "x-tenant": "acme" },
        body: { iceServers: ice },
      });
      expect(res.status).toBe(200);
      expect(res.body.iceServers).toEqual(ice);
      expect((await settingsOf()).iceServers).toEqual(ice);
      expect((await settingsOf(globexAdmin)).iceServers).toEqual([]);

      expectInvalid(
        await t.api("PATCH", "/settings", {
          token: root,
          headers: { "x-tenant": "acme" },
          body: { iceServers: [{ urls: "http://turn.acme.test" }] },
        }),
      );
      // A super admin must name the tenant, and a tenant that exists.
      expectError(
        await t.api("PATCH", "/settings", { token: root, body: { iceServers: [] } }),
        400,
        "tenant_required",
      );
      expectError(
        await t.api("PATCH", "/settings", {
          token: root,
          headers: { "x-tenant": "nowhere" },
          body: { iceServers: [] },
        }),
        404,
        "not_found",
      );
      expect((await settingsOf()).iceServers).toEqual(ice);
    });

    it("every change is in the audit trail with before and after, but never an ICE credential", async () => {
      const trail = await t.api("GET", "/audit-log?action=settings.updated&limit=200", { token: admin });
      const entries = trail.body.items as Array<{
        actor: { name: string };
        oldValue: unknown;
        newValue: unknown;
      }>;
      expect(entries.length).toBe(9);
      expect(entries[0]).toMatchObject({
        actor: { name: "Platform Admin", type: "user" },
        oldValue: { iceServers: [] },
        newValue: {
          iceServers: [
            { urls: "stun:stun.acme.test:3478" },
            { urls: ["turn:turn.acme.test:3478", "turns:turn.acme.test:5349"], username: "acme-turn" },
          ],
        },
      });
      expect(entries.at(-1)).toMatchObject({
        actor: { name: "Olivia Grant" },
        oldValue: { retention: defaults.retention },
        newValue: { retention: { ...defaults.retention, ticketDeleteDays: 1000 } },
      });
      expect(JSON.stringify(trail.body)).not.toContain("t0p-secret-turn-credential");
      const rows = await inSystem(t.database.db, (tx) => tx.select().from(activity));
      expect(JSON.stringify(rows)).not.toContain("t0p-secret-turn-credential");
      // The stored settings do keep it: browsers need it to reach the TURN server.
      const [acme] = await inSystem(t.database.db, (tx) =>
        tx.select().from(tenants).where(eq(tenants.slug, "acme")),
      );
      expect(JSON.stringify(acme!.settings)).toContain("t0p-secret-turn-credential");
    });

    it("a patch that changes nothing is answered but not recorded", async () => {
      const count = async () =>
        (await t.api("GET", "/audit-log?action=settings.updated&limit=200", { token: admin })).body.items
          .length;
      const before = await count();
      const current = await settingsOf();
      const res = await t.api("PATCH", "/settings", {
        token: admin,
        body: { defaultMaxChats: current.defaultMaxChats },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(current);
      expect(await count()).toBe(before);
    });

    it("are for admins: supervisors and agents get 403", async () => {
      const before = await settingsOf();
      for (const email of ["supervisor@acme.test", "sarah@acme.test", "john@acme.test"]) {
        const token = await t.login(email);
        expectError(await t.api("GET", "/settings", { token }), 403, "forbidden");
        expectError(
          await t.api("PATCH", "/settings", { token, body: { autoAssignment: false } }),
          403,
          "forbidden",
        );
      }
      expect(await settingsOf()).toEqual(before);
    });
  });
});
