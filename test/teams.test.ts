import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

interface Team {
  id: string;
  name: string;
  leadId: string | null;
  memberIds: string[];
  createdAt: string;
}

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

function expectInvalid(res: ApiResponse, ...fields: string[]) {
  expectError(res, 400, "validation_failed");
  for (const field of fields) expect(Object.keys(res.body.error.details.fields)).toContain(field);
}

const sorted = (ids: string[]) => [...ids].sort();

describe("teams", () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;
  let lead: string;
  let agent: string;
  let globexAdmin: string;
  const ids: Record<string, string> = {};
  let frontDesk: Team;
  let globexTeam: Team;

  async function teams(token = supervisor): Promise<Team[]> {
    const res = await t.api("GET", "/teams", { token });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items;
  }
  const team = async (id: string, token = supervisor) => (await teams(token)).find((x) => x.id === id);
  async function teamIdOf(email: string): Promise<string | null> {
    for (const status of ["active", "deactivated"]) {
      const res = await t.api("GET", `/staff?status=${status}&limit=200`, { token: admin });
      const found = res.body.items.find((s: { email: string }) => s.email === email);
      if (found) return found.teamId;
    }
    throw new Error(`${email} is not on the staff`);
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    supervisor = await t.login("supervisor@acme.test");
    lead = await t.login("lead@acme.test");
    agent = await t.login("sarah@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    for (const token of [admin, globexAdmin]) {
      const staff = await t.api("GET", "/staff?limit=200", { token });
      for (const s of staff.body.items) ids[s.email] = s.id;
    }
    ids["john@acme.test"] = (
      await t.api("GET", "/me", { token: await t.login("john@acme.test") })
    ).body.user.id;
    frontDesk = (await teams())[0]!;
    globexTeam = (await teams(globexAdmin))[0]!;
  });
  afterAll(() => t.close());

  it("lists the tenant's teams with their lead and members", async () => {
    expect(await teams()).toEqual([frontDesk]);
    expect(frontDesk).toMatchObject({ name: "Front Desk", leadId: ids["lead@acme.test"] });
    expect(sorted(frontDesk.memberIds)).toEqual(
      sorted([ids["lead@acme.test"]!, ids["sarah@acme.test"]!, ids["mike@acme.test"]!]),
    );
    expect(globexTeam.name).toBe("Support");
  });

  it("creates a team with a lead and members, moving the members out of their old team", async () => {
    const res = await t.api("POST", "/teams", {
      token: supervisor,
      body: {
        name: "  Night Shift ",
        leadId: ids["sarah@acme.test"],
        memberIds: [ids["mike@acme.test"], ids["sarah@acme.test"]],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Night Shift", leadId: ids["sarah@acme.test"] });
    expect(sorted(res.body.memberIds)).toEqual(sorted([ids["mike@acme.test"]!, ids["sarah@acme.test"]!]));
    ids.nightShift = res.body.id;

    expect((await team(frontDesk.id))!.memberIds).toEqual([ids["lead@acme.test"]]);
    expect(await teamIdOf("mike@acme.test")).toBe(res.body.id);
    expect((await teams()).map((x) => x.name)).toEqual(["Front Desk", "Night Shift"]);
  });

  it("creates an empty team with just a name", async () => {
    const res = await t.api("POST", "/teams", { token: admin, body: { name: "Escalations" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Escalations", leadId: null, memberIds: [] });
    ids.escalations = res.body.id;
  });

  it("refuses a name already taken, in any letter case, creating or renaming", async () => {
    const before = await teams();
    const dup = await t.api("POST", "/teams", { token: supervisor, body: { name: "night shift" } });
    expectError(dup, 409, "conflict");
    expect(dup.body.error.details.fields.name).toBeDefined();
    expectError(
      await t.api("PATCH", `/teams/${ids.escalations}`, { token: supervisor, body: { name: "FRONT DESK" } }),
      409,
      "conflict",
    );
    expect(await teams()).toEqual(before);
    // Keeping one's own name, in another case, is fine.
    const same = await t.api("PATCH", `/teams/${ids.escalations}`, {
      token: supervisor,
      body: { name: "escalations" },
    });
    expect(same.status).toBe(200);
    expect(same.body.name).toBe("escalations");
  });

  it("a globex team may share a name with an acme team", async () => {
    const res = await t.api("POST", "/teams", { token: globexAdmin, body: { name: "Night Shift" } });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(ids.nightShift);
  });

  it("the lead and members must be active staff of this tenant", async () => {
    const before = await teams();
    const globexBefore = await teams(globexAdmin);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ leadId: ids["homer@globex.test"] }, "leadId"],
      [{ leadId: ids["john@acme.test"] }, "leadId"],
      [{ leadId: "00000000-0000-4000-8000-000000000000" }, "leadId"],
      [{ memberIds: [ids["sarah@acme.test"], ids["homer@globex.test"]] }, "memberIds"],
      [{ memberIds: [ids["john@acme.test"]] }, "memberIds"],
    ];
    for (const [fields, field] of cases) {
      expectInvalid(
        await t.api("POST", "/teams", { token: supervisor, body: { name: "Weekend Crew", ...fields } }),
        field,
      );
      expectInvalid(
        await t.api("PATCH", `/teams/${ids.escalations}`, { token: supervisor, body: fields }),
        field,
      );
    }
    expect(await teams()).toEqual(before);
    expect(await teams(globexAdmin)).toEqual(globexBefore);
    expect(await teamIdOf("sarah@acme.test")).toBe(ids.nightShift);
  });

  it("a deactivated person cannot lead or join a team", async () => {
    const created = await t.api("POST", "/staff", {
      token: admin,
      body: { email: "leo@acme.test", name: "Leo Martin", role: "agent" },
    });
    expect(created.status).toBe(201);
    expect((await t.api("DELETE", `/staff/${created.body.id}`, { token: admin })).status).toBe(200);
    const before = await team(ids.escalations!);
    expectInvalid(
      await t.api("PATCH", `/teams/${ids.escalations}`, {
        token: supervisor,
        body: { leadId: created.body.id },
      }),
      "leadId",
    );
    expectInvalid(
      await t.api("PATCH", `/teams/${ids.escalations}`, {
        token: supervisor,
        body: { memberIds: [created.body.id] },
      }),
      "memberIds",
    );
    expect(await team(ids.escalations!)).toEqual(before);
  });

  it("refuses bad and unknown fields, naming them", async () => {
    const before = await teams();
    expectInvalid(await t.api("POST", "/teams", { token: supervisor, body: { name: "" } }), "name");
    expectInvalid(
      await t.api("POST", "/teams", { token: supervisor, body: { name: "x".repeat(81) } }),
      "name",
    );
    expectInvalid(await t.api("POST", "/teams", { token: supervisor, body: {} }), "name");
    expectInvalid(
      await t.api("POST", "/teams", {
        token: supervisor,
        body: { name: "Weekend Crew", leadId: "tom", memberIds: "sarah", colour: "red" },
      }),
      "leadId",
      "memberIds",
      "colour",
    );
    expectInvalid(
      await t.api("POST", "/teams", {
        token: supervisor,
        body: { name: "Weekend Crew", memberIds: ["sarah"] },
      }),
      "memberIds.0",
    );
    expectInvalid(await t.api("PATCH", `/teams/${ids.escalations}`, { token: supervisor, body: {} }));
    expectInvalid(
      await t.api("PATCH", "/teams/escalations", { token: supervisor, body: { name: "Escalations" } }),
      "id",
    );
    expect(await teams()).toEqual(before);
  });

  it("changes only what the patch names: members alone, the lead alone, the name alone", async () => {
    const id = ids.escalations!;
    const members = await t.api("PATCH", `/teams/${id}`, {
      token: supervisor,
      body: { memberIds: [ids["mike@acme.test"]] },
    });
    expect(members.status).toBe(200);
    expect(members.body).toMatchObject({
      name: "escalations",
      leadId: null,
      memberIds: [ids["mike@acme.test"]],
    });
    expect((await team(ids.nightShift!))!.memberIds).toEqual([ids["sarah@acme.test"]]);

    const withLead = await t.api("PATCH", `/teams/${id}`, {
      token: supervisor,
      body: { leadId: ids["mike@acme.test"] },
    });
    expect(withLead.body).toMatchObject({
      name: "escalations",
      leadId: ids["mike@acme.test"],
      memberIds: [ids["mike@acme.test"]],
    });

    const renamed = await t.api("PATCH", `/teams/${id}`, {
      token: supervisor,
      body: { name: "Escalations Desk" },
    });
    expect(renamed.body).toMatchObject({
      name: "Escalations Desk",
      leadId: ids["mike@acme.test"],
      memberIds: [ids["mike@acme.test"]],
    });

    const noLead = await t.api("PATCH", `/teams/${id}`, { token: supervisor, body: { leadId: null } });
    expect(noLead.body).toMatchObject({
      name: "Escalations Desk",
      leadId: null,
      memberIds: [ids["mike@acme.test"]],
    });

    const emptied = await t.api("PATCH", `/teams/${id}`, { token: supervisor, body: { memberIds: [] } });
    expect(emptied.body.memberIds).toEqual([]);
    expect(await teamIdOf("mike@acme.test")).toBeNull();
    expect(await team(id)).toEqual(emptied.body);
  });

  it("deleting a team leaves its members on the staff without a team", async () => {
    const night = (await team(ids.nightShift!))!;
    expect(night.memberIds).toEqual([ids["sarah@acme.test"]]);
    const res = await t.api("DELETE", `/teams/${night.id}`, { token: supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect((await teams()).map((x) => x.id)).not.toContain(night.id);
    expect(await teamIdOf("sarah@acme.test")).toBeNull();
    const me = await t.api("GET", "/me", { token: agent });
    expect(me.status).toBe(200);

    expectError(await t.api("DELETE", `/teams/${night.id}`, { token: supervisor }), 404, "not_found");
    expectError(
      await t.api("PATCH", `/teams/${night.id}`, { token: supervisor, body: { name: "Back Again" } }),
      404,
      "not_found",
    );
    expect((await teams()).map((x) => x.name)).not.toContain("Back Again");
  });

  it("another tenant's team is not found, and stays as it was", async () => {
    const before = await teams(globexAdmin);
    const unknown = await t.api("DELETE", "/teams/00000000-0000-4000-8000-000000000000", {
      token: supervisor,
    });
    expectError(unknown, 404, "not_found");
    const patch = await t.api("PATCH", `/teams/${globexTeam.id}`, {
      token: supervisor,
      body: { name: "Hijacked" },
    });
    expectError(patch, 404, "not_found");
    expect(patch.body).toEqual(unknown.body);
    expectError(
      await t.api("PATCH", `/teams/${globexTeam.id}`, { token: admin, body: { leadId: null } }),
      404,
      "not_found",
    );
    expectError(await t.api("DELETE", `/teams/${globexTeam.id}`, { token: admin }), 404, "not_found");
    expect(await teams(globexAdmin)).toEqual(before);
    expect((await teams()).map((x) => x.id)).not.toContain(globexTeam.id);
  });

  it("is managed by supervisors and admins: team leads and agents only see teams (to transfer chats)", async () => {
    const before = await teams();
    for (const token of [lead, agent]) {
      const seen = await t.api("GET", "/teams", { token });
      expect(seen.status).toBe(200);
      expect(seen.body.items).toEqual(before);
      expectError(await t.api("POST", "/teams", { token, body: { name: "Weekend Crew" } }), 403, "forbidden");
      expectError(
        await t.api("PATCH", `/teams/${frontDesk.id}`, { token, body: { name: "Lobby" } }),
        403,
        "forbidden",
      );
      expectError(await t.api("DELETE", `/teams/${frontDesk.id}`, { token }), 403, "forbidden");
    }
    expectError(await t.api("GET", "/teams"), 401, "unauthenticated");
    expect(await teams()).toEqual(before);
  });
});
