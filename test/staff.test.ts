import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";
import { connectSocket } from "./helpers/socket";

interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: string;
  availability: string;
  availabilityUntil: string | null;
  status: string;
  maxChats: number;
  maxCalls: number;
  activeChats: number;
  activeCalls: number;
  teamId: string | null;
}

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

function expectInvalid(res: ApiResponse, ...fields: string[]) {
  expectError(res, 400, "validation_failed");
  for (const field of fields) expect(Object.keys(res.body.error.details.fields)).toContain(field);
}

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

describe("staff", () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;
  let lead: string;
  let agent: string;
  let customer: string;
  let globexAdmin: string;
  const ids: Record<string, string> = {};

  /** Everyone on the Acme staff list (active and deactivated), by email, read as the admin. */
  async function staffList(token = admin, query = ""): Promise<StaffMember[]> {
    const items: StaffMember[] = [];
    for (const status of ["active", "deactivated"]) {
      const res = await t.api("GET", `/staff?status=${status}&limit=200${query}`, { token });
      expect(res.status).toBe(200);
      items.push(...res.body.items);
    }
    return items;
  }
  async function member(email: string, token = admin): Promise<StaffMember | undefined> {
    return (await staffList(token)).find((s) => s.email === email);
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    supervisor = await t.login("supervisor@acme.test");
    lead = await t.login("lead@acme.test");
    agent = await t.login("sarah@acme.test");
    customer = await t.login("john@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    for (const s of await staffList()) ids[s.email] = s.id;
    for (const s of await staffList(globexAdmin)) ids[s.email] = s.id;
  });
  afterAll(() => t.close());

  describe("listing", () => {
    it("shows a team lead the tenant's staff with role, availability, load and capacity, and no customers", async () => {
      const res = await t.api("GET", "/staff", { token: lead });
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      const items: StaffMember[] = res.body.items;
      expect(items.map((s) => s.name)).toEqual([
        "Mike Chen",
        "Olivia Grant",
        "Priya Patel",
        "Sarah Johnson",
        "Tom Baker",
      ]);
      expect(items.find((s) => s.email === "sarah@acme.test")).toMatchObject({
        role: "agent",
        availability: "offline",
        availabilityUntil: null,
        status: "active",
        maxChats: 5,
        maxCalls: 2,
        activeChats: 0,
        activeCalls: 0,
        teamId: expect.any(String),
      });
      for (const s of items) {
        expect(s).not.toHaveProperty("passwordHash");
        expect(s.email).toMatch(/@acme\.test$/);
      }
    });

    it("filters by role, availability, team and a search over name and email", async () => {
      const agents = await t.api("GET", "/staff?role=agent", { token: lead });
      expect(agents.body.items.map((s: StaffMember) => s.email).sort()).toEqual([
        "mike@acme.test",
        "sarah@acme.test",
      ]);

      const teamId = (await member("sarah@acme.test"))!.teamId!;
      const team = await t.api("GET", `/staff?teamId=${teamId}`, { token: lead });
      expect(team.body.items.map((s: StaffMember) => s.email).sort()).toEqual([
        "lead@acme.test",
        "mike@acme.test",
        "sarah@acme.test",
      ]);

      const byName = await t.api("GET", "/staff?q=sarah", { token: lead });
      expect(byName.body.items.map((s: StaffMember) => s.email)).toEqual(["sarah@acme.test"]);
      const byEmail = await t.api("GET", "/staff?q=SUPERVISOR@", { token: lead });
      expect(byEmail.body.items.map((s: StaffMember) => s.name)).toEqual(["Priya Patel"]);
      // A wildcard character is searched for literally.
      expect((await t.api("GET", "/staff?q=%25", { token: lead })).body.items).toEqual([]);

      expect((await t.api("GET", "/staff?availability=online", { token: lead })).body.items).toEqual([]);
      expect(
        (await t.api("PATCH", "/me/availability", { token: agent, body: { status: "online" } })).status,
      ).toBe(200);
      const online = await t.api("GET", "/staff?availability=online", { token: lead });
      expect(online.body.items.map((s: StaffMember) => s.email)).toEqual(["sarah@acme.test"]);
    });

    it("pages by cursor without repeating or skipping anyone", async () => {
      const whole = (await t.api("GET", "/staff", { token: lead })).body.items as StaffMember[];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: ApiResponse = await t.api("GET", `/staff?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
          token: lead,
        });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((s: StaffMember) => s.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(whole.map((s) => s.id));
    });

    it("refuses bad filters, naming them", async () => {
      expectInvalid(await t.api("GET", "/staff?role=customer", { token: lead }), "role");
      expectInvalid(await t.api("GET", "/staff?role=super_admin", { token: lead }), "role");
      expectInvalid(await t.api("GET", "/staff?teamId=front-desk", { token: lead }), "teamId");
      expectInvalid(await t.api("GET", "/staff?limit=500", { token: lead }), "limit");
      expectInvalid(await t.api("GET", "/staff?status=gone", { token: lead }), "status");
      expectInvalid(await t.api("GET", "/staff?cursor=abc", { token: lead }), "cursor");
      expectInvalid(await t.api("GET", "/staff?sort=name", { token: lead }), "sort");
    });

    it("is for team leads and above", async () => {
      expectError(await t.api("GET", "/staff", { token: agent }), 403, "forbidden");
      expectError(await t.api("GET", "/staff", { token: customer }), 403, "forbidden");
      expectError(await t.api("GET", "/staff"), 401, "unauthenticated");
    });
  });

  describe("adding staff", () => {
    it("creates an agent with a temporary password shown once, who can then sign in", async () => {
      const res = await t.api("POST", "/staff", {
        token: admin,
        body: { email: "  Ana@Acme.test ", name: "Ana Souza", role: "agent" },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: "ana@acme.test",
        name: "Ana Souza",
        role: "agent",
        status: "active",
        availability: "offline",
        maxChats: 5,
        maxCalls: 2,
        teamId: null,
      });
      expect(res.body).not.toHaveProperty("passwordHash");
      const temporary: string = res.body.temporaryPassword;
      expect(temporary).toMatch(/^\S{12,}$/);
      ids["ana@acme.test"] = res.body.id;

      const login = await t.api("POST", "/auth/login", {
        body: { tenant: "acme", email: "ana@acme.test", password: temporary },
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ id: res.body.id, role: "agent" });
      // It is not shown again anywhere.
      const listed = await member("ana@acme.test");
      expect(listed).toBeDefined();
      expect(JSON.stringify(listed)).not.toContain(temporary);
    });

    it("uses the given password, capacity and team, and returns no temporary password", async () => {
      const teamId = (await member("sarah@acme.test"))!.teamId;
      const res = await t.api("POST", "/staff", {
        token: admin,
        body: {
          email: "raj@acme.test",
          name: "Raj Mehta",
          role: "supervisor",
          password: "raj-chooses-this-one",
          maxChats: 9,
          maxCalls: 0,
          teamId,
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: "supervisor", maxChats: 9, maxCalls: 0, teamId });
      expect(res.body).not.toHaveProperty("temporaryPassword");
      ids["raj@acme.test"] = res.body.id;
      await expect(t.login("raj@acme.test", "acme", "raj-chooses-this-one")).resolves.toMatch(/^sbs_/);
    });

    it("takes default capacity from the tenant's settings", async () => {
      expect(
        (
          await t.api("PATCH", "/settings", {
            token: admin,
            body: { defaultMaxChats: 8, defaultMaxCalls: 1 },
          })
        ).status,
      ).toBe(200);
      const res = await t.api("POST", "/staff", {
        token: admin,
        body: { email: "li@acme.test", name: "Li Wei", role: "agent" },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ maxChats: 8, maxCalls: 1 });
      ids["li@acme.test"] = res.body.id;
      expect(
        (
          await t.api("PATCH", "/settings", {
            token: admin,
            body: { defaultMaxChats: 5, defaultMaxCalls: 2 },
          })
        ).status,
      ).toBe(200);
    });

    it("refuses an email already used in this tenant, in any letter case, and adds no one", async () => {
      const before = await staffList();
      const res = await t.api("POST", "/staff", {
        token: admin,
        body: { email: "SARAH@acme.test", name: "Sarah Two", role: "agent" },
      });
      expectError(res, 409, "conflict");
      expect(res.body.error.details.fields.email).toBeDefined();
      expect(await staffList()).toEqual(before);
    });

    it("allows an email that another tenant uses", async () => {
      const res = await t.api("POST", "/staff", {
        token: admin,
        body: { email: "homer@globex.test", name: "Homer Simpson", role: "agent" },
      });
      expect(res.status).toBe(201);
      expect(res.body.id).not.toBe(ids["homer@globex.test"]);
      ids["homer@acme"] = res.body.id;
    });

    it("refuses roles that are not staff roles, bad fields and unknown fields, adding no one", async () => {
      const before = await staffList();
      const base = { email: "zoe@acme.test", name: "Zoe Park" };
      expectInvalid(
        await t.api("POST", "/staff", { token: admin, body: { ...base, role: "super_admin" } }),
        "role",
      );
      expectInvalid(
        await t.api("POST", "/staff", { token: admin, body: { ...base, role: "customer" } }),
        "role",
      );
      expectInvalid(await t.api("POST", "/staff", { token: admin, body: { ...base } }), "role");
      expectInvalid(
        await t.api("POST", "/staff", {
          token: admin,
          body: { email: "zoe", name: "", role: "agent", password: "short", maxChats: 0, maxCalls: 11 },
        }),
        "email",
        "name",
        "password",
        "maxChats",
        "maxCalls",
      );
      expectInvalid(
        await t.api("POST", "/staff", { token: admin, body: { ...base, role: "agent", status: "active" } }),
        "status",
      );
      expectInvalid(
        await t.api("POST", "/staff", {
          token: admin,
          body: { ...base, role: "agent", teamId: "front-desk" },
        }),
        "teamId",
      );
      const globexTeam = (await t.api("GET", "/teams", { token: globexAdmin })).body.items[0].id;
      expectInvalid(
        await t.api("POST", "/staff", { token: admin, body: { ...base, role: "agent", teamId: globexTeam } }),
        "teamId",
      );
      expect(await staffList()).toEqual(before);
    });

    it("is for admins only", async () => {
      const before = await staffList();
      const body = { email: "zoe@acme.test", name: "Zoe Park", role: "agent" };
      expectError(await t.api("POST", "/staff", { token: supervisor, body }), 403, "forbidden");
      expectError(await t.api("POST", "/staff", { token: lead, body }), 403, "forbidden");
      expectError(await t.api("POST", "/staff", { token: agent, body }), 403, "forbidden");
      expect(await staffList()).toEqual(before);
    });
  });

  describe("changing staff", () => {
    it("a supervisor changes an agent's details", async () => {
      const res = await t.api("PATCH", `/staff/${ids["mike@acme.test"]}`, {
        token: supervisor,
        body: { name: "Michael Chen", maxChats: 6, maxCalls: 1 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: "Michael Chen", maxChats: 6, maxCalls: 1, role: "agent" });
      expect(await member("mike@acme.test")).toMatchObject({ name: "Michael Chen", maxChats: 6 });
    });

    it("a supervisor cannot change roles, even downwards", async () => {
      const before = await member("mike@acme.test");
      expectError(
        await t.api("PATCH", `/staff/${ids["mike@acme.test"]}`, {
          token: supervisor,
          body: { role: "team_lead" },
        }),
        403,
        "forbidden",
      );
      expectError(
        await t.api("PATCH", `/staff/${ids["lead@acme.test"]}`, {
          token: supervisor,
          body: { role: "agent" },
        }),
        403,
        "forbidden",
      );
      expect(await member("mike@acme.test")).toEqual(before);
      expect((await member("lead@acme.test"))!.role).toBe("team_lead");
    });

    it("nobody edits someone above them", async () => {
      const before = await staffList();
      expectError(
        await t.api("PATCH", `/staff/${ids["admin@acme.test"]}`, {
          token: supervisor,
          body: { name: "Boss" },
        }),
        403,
        "forbidden",
      );
      expectError(
        await t.api("PATCH", `/staff/${ids["supervisor@acme.test"]}`, {
          token: lead,
          body: { availability: { status: "on_break", until: inAnHour() } },
        }),
        403,
        "forbidden",
      );
      // Nor someone of the same rank, below admin.
      expectError(
        await t.api("PATCH", `/staff/${ids["raj@acme.test"]}`, { token: supervisor, body: { maxChats: 3 } }),
        403,
        "forbidden",
      );
      expect(await staffList()).toEqual(before);
    });

    it("an admin changes roles of others, but not their own", async () => {
      const promoted = await t.api("PATCH", `/staff/${ids["ana@acme.test"]}`, {
        token: admin,
        body: { role: "team_lead" },
      });
      expect(promoted.status).toBe(200);
      expect(promoted.body.role).toBe("team_lead");
      const admin2 = await t.api("PATCH", `/staff/${ids["li@acme.test"]}`, {
        token: admin,
        body: { role: "admin" },
      });
      expect(admin2.status).toBe(200);

      expectError(
        await t.api("PATCH", `/staff/${ids["admin@acme.test"]}`, { token: admin, body: { role: "agent" } }),
        403,
        "forbidden",
      );
      expect((await member("admin@acme.test"))!.role).toBe("admin");
      // Details of one's own are fine; naming one's current role is not a change.
      const self = await t.api("PATCH", `/staff/${ids["admin@acme.test"]}`, {
        token: admin,
        body: { name: "Olivia Grant-Hughes", role: "admin" },
      });
      expect(self.status).toBe(200);
      expect(self.body).toMatchObject({ name: "Olivia Grant-Hughes", role: "admin" });
    });

    it("refuses a role that does not exist and unknown fields", async () => {
      const before = await member("sarah@acme.test");
      const id = ids["sarah@acme.test"];
      expectInvalid(
        await t.api("PATCH", `/staff/${id}`, { token: admin, body: { role: "super_admin" } }),
        "role",
      );
      expectInvalid(await t.api("PATCH", `/staff/${id}`, { token: admin, body: { role: "owner" } }), "role");
      expectInvalid(
        await t.api("PATCH", `/staff/${id}`, { token: admin, body: { status: "deactivated" } }),
        "status",
      );
      expectInvalid(
        await t.api("PATCH", `/staff/${id}`, { token: admin, body: { email: "s@acme.test" } }),
        "email",
      );
      expectInvalid(await t.api("PATCH", `/staff/${id}`, { token: admin, body: { name: "   " } }), "name");
      expectInvalid(await t.api("PATCH", `/staff/${id}`, { token: admin, body: {} }));
      expectInvalid(await t.api("PATCH", "/staff/sarah", { token: admin, body: { name: "Sarah" } }), "id");
      expect(await member("sarah@acme.test")).toEqual(before);
    });

    it("a team lead puts an agent on a break and ends it, but changes nothing else", async () => {
      const id = ids["sarah@acme.test"];
      const until = inAnHour();
      const res = await t.api("PATCH", `/staff/${id}`, {
        token: lead,
        body: { availability: { status: "on_break", until } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ availability: "on_break", availabilityUntil: until });
      expect(await member("sarah@acme.test")).toMatchObject({
        availability: "on_break",
        availabilityUntil: until,
      });

      const before = await member("sarah@acme.test");
      expectError(
        await t.api("PATCH", `/staff/${id}`, { token: lead, body: { name: "Sal" } }),
        403,
        "forbidden",
      );
      expectError(
        await t.api("PATCH", `/staff/${id}`, {
          token: lead,
          body: { maxChats: 10, availability: { status: "online" } },
        }),
        403,
        "forbidden",
      );
      expect(await member("sarah@acme.test")).toEqual(before);

      const back = await t.api("PATCH", `/staff/${id}`, {
        token: lead,
        body: { availability: { status: "online" } },
      });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ availability: "online", availabilityUntil: null });
    });

    it("refuses a break that ends in the past or too far ahead, and an end time without a break", async () => {
      const id = ids["mike@acme.test"];
      const before = await member("mike@acme.test");
      const past = new Date(Date.now() - 60_000).toISOString();
      const inTwoDays = new Date(Date.now() + 48 * 3600_000).toISOString();
      const cases: Array<[unknown, string]> = [
        [{ status: "on_break", until: past }, "availability.until"],
        [{ status: "on_break", until: inTwoDays }, "availability.until"],
        [{ status: "online", until: inAnHour() }, "availability.until"],
        [{ status: "on_break", until: "tomorrow" }, "availability.until"],
        [{ status: "lunch" }, "availability.status"],
        [{ status: "on_break", reason: "coffee" }, "availability.reason"],
      ];
      for (const [availability, field] of cases) {
        const res = await t.api("PATCH", `/staff/${id}`, { token: lead, body: { availability } });
        expectInvalid(res, field);
      }
      expect(await member("mike@acme.test")).toEqual(before);
    });

    it("agents cannot change anyone through the staff route", async () => {
      const before = await member("mike@acme.test");
      expectError(
        await t.api("PATCH", `/staff/${ids["mike@acme.test"]}`, {
          token: agent,
          body: { availability: { status: "offline" } },
        }),
        403,
        "forbidden",
      );
      expect(await member("mike@acme.test")).toEqual(before);
    });
  });

  describe("deactivating", () => {
    it("ends the person's sessions and API tokens at once and stops them signing in", async () => {
      const session = await t.login("mike@acme.test");
      const made = await t.api("POST", "/me/tokens", { token: session, body: { name: "Mike's script" } });
      expect(made.status).toBe(201);
      const apiToken: string = made.body.token;
      expect((await t.api("GET", "/me", { token: apiToken })).status).toBe(200);
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const address = t.app.server.address();
      const socket = await connectSocket(
        `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
        { token: session },
      );
      const closed = new Promise<string>((resolve) => socket.on("disconnect", resolve));

      const res = await t.api("DELETE", `/staff/${ids["mike@acme.test"]}`, { token: admin });
      expect(res.status).toBe(200);
      expect(await closed).toBe("io server disconnect");
      expect(res.body).toMatchObject({ status: "deactivated", availability: "offline" });

      expectError(await t.api("GET", "/me", { token: session }), 401, "unauthenticated");
      expectError(await t.api("GET", "/me", { token: apiToken }), 401, "unauthenticated");
      expectError(
        await t.api("POST", "/auth/login", {
          body: { tenant: "acme", email: "mike@acme.test", password: "demo-password-1" },
        }),
        401,
        "unauthenticated",
      );

      const active = (await t.api("GET", "/staff", { token: admin })).body.items as StaffMember[];
      expect(active.map((s) => s.email)).not.toContain("mike@acme.test");
      const gone = (await t.api("GET", "/staff?status=deactivated", { token: admin })).body
        .items as StaffMember[];
      expect(gone.map((s) => s.email)).toContain("mike@acme.test");

      // Doing it again changes nothing and still answers with the person.
      const again = await t.api("DELETE", `/staff/${ids["mike@acme.test"]}`, { token: admin });
      expect(again.status).toBe(200);
      expect(again.body.status).toBe("deactivated");
    });

    it("no one deactivates themselves", async () => {
      expectError(
        await t.api("DELETE", `/staff/${ids["admin@acme.test"]}`, { token: admin }),
        403,
        "forbidden",
      );
      expect((await t.api("GET", "/me", { token: admin })).status).toBe(200);
      expect((await member("admin@acme.test"))!.status).toBe("active");
    });

    it("is for admins only, and customers are not staff", async () => {
      const before = await staffList();
      expectError(
        await t.api("DELETE", `/staff/${ids["sarah@acme.test"]}`, { token: supervisor }),
        403,
        "forbidden",
      );
      expectError(
        await t.api("DELETE", `/staff/${ids["sarah@acme.test"]}`, { token: lead }),
        403,
        "forbidden",
      );
      const john = (await t.api("GET", "/me", { token: customer })).body.user.id;
      expectError(await t.api("DELETE", `/staff/${john}`, { token: admin }), 404, "not_found");
      expectError(
        await t.api("PATCH", `/staff/${john}`, { token: admin, body: { name: "Johnny" } }),
        404,
        "not_found",
      );
      expect((await t.api("GET", "/me", { token: customer })).status).toBe(200);
      expect(await staffList()).toEqual(before);
    });
  });

  describe("other tenants", () => {
    it("another tenant's staff cannot be changed or deactivated, and nothing reveals they exist", async () => {
      const globexBefore = await staffList(globexAdmin);
      const homer = ids["homer@globex.test"]!;
      const unknown = await t.api("PATCH", "/staff/00000000-0000-4000-8000-000000000000", {
        token: admin,
        body: { name: "X" },
      });
      expectError(unknown, 404, "not_found");

      const patch = await t.api("PATCH", `/staff/${homer}`, {
        token: admin,
        body: { name: "Homer J. Simpson" },
      });
      expectError(patch, 404, "not_found");
      expect(patch.body).toEqual(unknown.body);
      expectError(
        await t.api("PATCH", `/staff/${homer}`, {
          token: admin,
          body: { availability: { status: "on_break", until: inAnHour() } },
        }),
        404,
        "not_found",
      );
      expectError(await t.api("DELETE", `/staff/${homer}`, { token: admin }), 404, "not_found");
      expectError(
        await t.api("PATCH", `/staff/${ids["admin@acme.test"]}`, {
          token: globexAdmin,
          body: { name: "Hank" },
        }),
        404,
        "not_found",
      );
      expectError(
        await t.api("DELETE", `/staff/${ids["sarah@acme.test"]}`, { token: globexAdmin }),
        404,
        "not_found",
      );

      expect(await staffList(globexAdmin)).toEqual(globexBefore);
      expect((await member("sarah@acme.test"))!.status).toBe("active");
      await expect(t.login("homer@globex.test", "globex")).resolves.toMatch(/^sbs_/);
    });
  });
});
