import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

interface Canned {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  scope: "tenant" | "personal";
  ownerId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

function expectInvalid(res: ApiResponse, ...fields: string[]) {
  expectError(res, 400, "validation_failed");
  for (const field of fields) expect(Object.keys(res.body.error.details.fields)).toContain(field);
}

const unknownId = "00000000-0000-4000-8000-000000000000";

describe("canned responses", () => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let sarah: string;
  let mike: string;
  let john: string;
  let globexAdmin: string;
  const ids: Record<string, string> = {};

  async function list(token: string, query = ""): Promise<Canned[]> {
    const res = await t.api("GET", `/canned-responses${query ? `?${query}` : ""}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  }
  const shortcuts = async (token: string, query = "") =>
    (await list(token, query)).map((c) => `${c.scope}:${c.shortcut}`);
  async function create(token: string, body: Record<string, unknown>): Promise<Canned> {
    const res = await t.api("POST", "/canned-responses", { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  async function auditOf(id: string) {
    const res = await t.api("GET", `/audit-log?subjectType=canned_response&subjectId=${id}&limit=200`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    return res.body.items as Array<{
      action: string;
      actor: { id: string | null };
      oldValue: Record<string, unknown> | null;
      newValue: Record<string, unknown> | null;
    }>;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    lead = await t.login("lead@acme.test");
    sarah = await t.login("sarah@acme.test");
    mike = await t.login("mike@acme.test");
    john = await t.login("john@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    for (const [name, token] of Object.entries({ admin, lead, sarah, mike })) {
      ids[name] = (await t.api("GET", "/me", { token })).body.user.id;
    }
  });
  afterAll(() => t.close());

  it("every staff member sees the shared demo snippets, in shortcut order", async () => {
    for (const token of [admin, lead, sarah]) {
      expect(await shortcuts(token)).toEqual(["tenant:card-lost", "tenant:hello", "tenant:thanks"]);
    }
    const [, hello] = await list(sarah);
    expect(hello).toMatchObject({
      shortcut: "hello",
      scope: "tenant",
      ownerId: null,
      body: "Hi {{customer.firstName}}, I'm {{agent.firstName}} from Acme Bank. How can I help?",
    });
    expect(await list(globexAdmin)).toEqual([]);
  });

  it("a team lead creates, changes and deletes a shared snippet; every change is in the audit trail", async () => {
    const created = await create(lead, {
      shortcut: "Hours",
      title: "  Opening hours ",
      body: "We are open 9 to 5, {{customer.firstName}}.",
      scope: "tenant",
    });
    expect(created).toMatchObject({
      shortcut: "Hours",
      title: "Opening hours",
      scope: "tenant",
      ownerId: null,
      createdBy: ids.lead,
    });
    expect(await shortcuts(sarah)).toContain("tenant:Hours");

    const changed = await t.api("PATCH", `/canned-responses/${created.id}`, {
      token: admin,
      body: { body: "We are open 8 to 6, {{customer.firstName}}." },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      shortcut: "Hours",
      body: "We are open 8 to 6, {{customer.firstName}}.",
    });
    expect(changed.body.updatedAt >= created.updatedAt).toBe(true);
    expect((await list(mike)).find((c) => c.id === created.id)?.body).toBe(
      "We are open 8 to 6, {{customer.firstName}}.",
    );

    const removed = await t.api("DELETE", `/canned-responses/${created.id}`, { token: lead });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ ok: true });
    expect(await shortcuts(sarah)).not.toContain("tenant:Hours");
    expectError(await t.api("DELETE", `/canned-responses/${created.id}`, { token: lead }), 404, "not_found");

    const trail = await auditOf(created.id);
    expect(trail.map((e) => e.action).sort()).toEqual([
      "canned_response.created",
      "canned_response.deleted",
      "canned_response.updated",
    ]);
    const byAction = Object.fromEntries(trail.map((e) => [e.action, e]));
    expect(byAction["canned_response.created"]).toMatchObject({
      actor: { id: ids.lead },
      oldValue: null,
      newValue: { shortcut: "Hours", title: "Opening hours", scope: "tenant", ownerId: null },
    });
    expect(byAction["canned_response.updated"]).toMatchObject({
      actor: { id: ids.admin },
      oldValue: { body: "We are open 9 to 5, {{customer.firstName}}." },
      newValue: { body: "We are open 8 to 6, {{customer.firstName}}." },
    });
    expect(Object.keys(byAction["canned_response.updated"]!.newValue!)).toEqual(["body"]);
    expect(byAction["canned_response.deleted"]).toMatchObject({
      actor: { id: ids.lead },
      oldValue: { shortcut: "Hours", body: "We are open 8 to 6, {{customer.firstName}}." },
    });
  });

  it("an agent keeps personal snippets that only they see, and changes and deletes them", async () => {
    const mine = await create(sarah, {
      shortcut: "sig",
      title: "Signature",
      body: "Best wishes, {{agent.name}}",
      scope: "personal",
    });
    expect(mine).toMatchObject({ scope: "personal", ownerId: ids.sarah, createdBy: ids.sarah });
    ids.sarahSig = mine.id;
    expect(await shortcuts(sarah)).toEqual([
      "tenant:card-lost",
      "tenant:hello",
      "personal:sig",
      "tenant:thanks",
    ]);
    // Nobody else sees it, not even an admin.
    for (const token of [mike, lead, admin]) expect(await shortcuts(token)).not.toContain("personal:sig");

    const renamed = await t.api("PATCH", `/canned-responses/${mine.id}`, {
      token: sarah,
      body: { shortcut: "Signature", title: "My signature" },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ shortcut: "Signature", title: "My signature", scope: "personal" });

    const temp = await create(sarah, { shortcut: "tmp", title: "Temporary", body: "x", scope: "personal" });
    expect((await t.api("DELETE", `/canned-responses/${temp.id}`, { token: sarah })).status).toBe(200);
    expect(await shortcuts(sarah)).not.toContain("personal:tmp");
    const trail = await auditOf(temp.id);
    expect(trail.map((e) => e.action).sort()).toEqual(["canned_response.created", "canned_response.deleted"]);
    expect(trail.every((e) => e.actor.id === ids.sarah)).toBe(true);
  });

  it("filters by shortcut, title or body with ?q=, and by scope", async () => {
    expect(await shortcuts(sarah, "q=HEL")).toEqual(["tenant:hello"]);
    expect(await shortcuts(sarah, "q=wishes")).toEqual(["personal:Signature"]);
    expect(await shortcuts(sarah, "q=stolen")).toEqual(["tenant:card-lost"]);
    expect(await shortcuts(sarah, "q=%25")).toEqual([]);
    expect(await shortcuts(mike, "q=wishes")).toEqual([]);
    expect(await shortcuts(sarah, "scope=personal")).toEqual(["personal:Signature"]);
    expect(await shortcuts(sarah, "scope=tenant")).toEqual([
      "tenant:card-lost",
      "tenant:hello",
      "tenant:thanks",
    ]);
    expectInvalid(await t.api("GET", "/canned-responses?scope=everyone", { token: sarah }), "scope");
  });

  it("pages with a cursor", async () => {
    const first = await t.api("GET", "/canned-responses?limit=2", { token: sarah });
    expect(first.body.items.map((c: Canned) => c.shortcut)).toEqual(["card-lost", "hello"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.api("GET", `/canned-responses?limit=2&cursor=${first.body.nextCursor}`, {
      token: sarah,
    });
    expect(second.body.items.map((c: Canned) => c.shortcut)).toEqual(["Signature", "thanks"]);
    expect(second.body.nextCursor).toBeNull();
    expectInvalid(await t.api("GET", "/canned-responses?cursor=forged", { token: sarah }), "cursor");
  });

  it("an agent cannot create, change or delete shared snippets", async () => {
    const before = await list(admin);
    const hello = before.find((c) => c.shortcut === "hello")!;
    expectError(
      await t.api("POST", "/canned-responses", {
        token: sarah,
        body: { shortcut: "mine-for-all", title: "Hi", body: "Hi", scope: "tenant" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await t.api("PATCH", `/canned-responses/${hello.id}`, { token: sarah, body: { title: "Hijacked" } }),
      403,
      "forbidden",
    );
    expectError(await t.api("DELETE", `/canned-responses/${hello.id}`, { token: mike }), 403, "forbidden");
    expect(await list(admin)).toEqual(before);
  });

  it("someone else's personal snippet is not found, and stays as it was", async () => {
    const before = await list(sarah);
    for (const token of [mike, lead, admin]) {
      const patch = await t.api("PATCH", `/canned-responses/${ids.sarahSig}`, {
        token,
        body: { body: "Hijacked" },
      });
      expectError(patch, 404, "not_found");
      const unknown = await t.api("PATCH", `/canned-responses/${unknownId}`, { token, body: { body: "x" } });
      expect(patch.body).toEqual(unknown.body);
      expectError(await t.api("DELETE", `/canned-responses/${ids.sarahSig}`, { token }), 404, "not_found");
    }
    expect(await list(sarah)).toEqual(before);
  });

  it("a shortcut is unique within its scope in any letter case; personal may reuse a shared one", async () => {
    const before = await list(sarah);
    const dup = await t.api("POST", "/canned-responses", {
      token: lead,
      body: { shortcut: "HELLO", title: "Another hello", body: "Hello!", scope: "tenant" },
    });
    expectError(dup, 409, "conflict");
    expect(dup.body.error.message).toContain("/HELLO");
    expect(dup.body.error.details.fields.shortcut).toBeDefined();
    expectError(
      await t.api("POST", "/canned-responses", {
        token: sarah,
        body: { shortcut: "signature", title: "Second", body: "x", scope: "personal" },
      }),
      409,
      "conflict",
    );
    const thanks = before.find((c) => c.shortcut === "thanks")!;
    expectError(
      await t.api("PATCH", `/canned-responses/${thanks.id}`, {
        token: lead,
        body: { shortcut: "Card-Lost" },
      }),
      409,
      "conflict",
    );
    expect(await list(sarah)).toEqual(before);

    // Keeping one's own shortcut in another case is fine.
    const recased = await t.api("PATCH", `/canned-responses/${thanks.id}`, {
      token: lead,
      body: { shortcut: "Thanks" },
    });
    expect(recased.status, JSON.stringify(recased.body)).toBe(200);
    expect(recased.body.shortcut).toBe("Thanks");

    // A personal snippet may shadow a shared one; another agent may use the same personal shortcut.
    const shadow = await create(sarah, {
      shortcut: "hello",
      title: "My hello",
      body: "Hey!",
      scope: "personal",
    });
    expect(shadow.scope).toBe("personal");
    const mikes = await create(mike, {
      shortcut: "Hello",
      title: "Mike's hello",
      body: "Yo",
      scope: "personal",
    });
    expect(mikes.ownerId).toBe(ids.mike);
    expect((await shortcuts(sarah, "q=hello")).sort()).toEqual(["personal:hello", "tenant:hello"]);
    // A shared snippet may take a shortcut someone uses personally.
    const shared = await create(admin, {
      shortcut: "sig",
      title: "Shared signature",
      body: "The team",
      scope: "tenant",
    });
    expect(shared.scope).toBe("tenant");
  });

  it("two people saving the same shortcut at once: one wins, the others get 409", async () => {
    const results = await Promise.all(
      [lead, admin, lead, admin].map((token, i) =>
        t.api("POST", "/canned-responses", {
          token,
          body: {
            shortcut: i % 2 ? "RACE" : "race",
            title: `Race ${i}`,
            body: "Ready, set, go",
            scope: "tenant",
          },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, "conflict");
    expect((await shortcuts(sarah, "q=race")).map((s) => s.toLowerCase())).toEqual(["tenant:race"]);
  });

  it("refuses bad bodies, naming the fields, and changes nothing", async () => {
    const before = await list(lead);
    const good = { shortcut: "ok", title: "Fine", body: "Fine", scope: "personal" };
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ ...good, body: "" }, ["body"]],
      [{ ...good, body: "   " }, ["body"]],
      [{ ...good, body: "x".repeat(4001) }, ["body"]],
      [{ ...good, title: "" }, ["title"]],
      [{ ...good, title: "t".repeat(101) }, ["title"]],
      [{ ...good, shortcut: "" }, ["shortcut"]],
      [{ ...good, shortcut: "s".repeat(33) }, ["shortcut"]],
      [{ ...good, shortcut: "/hello" }, ["shortcut"]],
      [{ ...good, shortcut: "two words" }, ["shortcut"]],
      [{ ...good, shortcut: "café" }, ["shortcut"]],
      [{ ...good, shortcut: "4111111111111111" }, ["shortcut"]],
      [{ ...good, body: "Hi {{customer.title}}" }, ["body"]],
      [{ ...good, body: "Hi {{ customer.firstname }}" }, ["body"]],
      [{ ...good, scope: "team" }, ["scope"]],
      [{ ...good, colour: "red", ownerId: ids.mike }, ["colour", "ownerId"]],
      [{ shortcut: 5, title: null, body: ["x"] }, ["shortcut", "title", "body", "scope"]],
      [{}, ["shortcut", "title", "body", "scope"]],
    ];
    for (const [body, fields] of cases) {
      expectInvalid(await t.api("POST", "/canned-responses", { token: lead, body }), ...fields);
    }
    const unknownVariable = await t.api("POST", "/canned-responses", {
      token: lead,
      body: { ...good, body: "Dear {{customer.title}}" },
    });
    expect(unknownVariable.body.error.details.fields.body).toContain("{{customer.title}}");
    // Exactly the limits are fine.
    const longest = await create(lead, {
      shortcut: "a".repeat(32),
      title: "t".repeat(100),
      body: "b".repeat(4000),
      scope: "personal",
    });
    expect(longest.body).toHaveLength(4000);

    const hello = before.find((c) => c.shortcut === "hello" && c.scope === "tenant")!;
    const patches: Array<[Record<string, unknown>, string]> = [
      [{ body: "" }, "body"],
      [{ body: "{{agent.email}}" }, "body"],
      [{ shortcut: "no spaces" }, "shortcut"],
      [{ title: "x".repeat(101) }, "title"],
      [{ scope: "personal" }, "scope"],
      [{ ownerId: ids.mike }, "ownerId"],
      [{}, "body"],
    ];
    for (const [body, field] of patches) {
      expectInvalid(await t.api("PATCH", `/canned-responses/${hello.id}`, { token: lead, body }), field);
    }
    expectInvalid(
      await t.api("PATCH", "/canned-responses/hello", { token: lead, body: { title: "x" } }),
      "id",
    );
    expectInvalid(await t.api("DELETE", "/canned-responses/hello", { token: lead }), "id");
    expect((await list(lead)).filter((c) => c.id !== longest.id)).toEqual(before);
  });

  it("masks card numbers in titles and bodies", async () => {
    const card = "4111 1111 1111 1111";
    const created = await create(sarah, {
      shortcut: "refund",
      title: `Refund to ${card}`,
      body: `We refunded card ${card}, {{customer.firstName}}.`,
      scope: "personal",
    });
    expect(created.body).not.toContain(card);
    expect(created.body).toMatch(/^We refunded card 4111 11.+1111, \{\{customer\.firstName\}\}\.$/);
    expect(created.title).not.toContain(card);
    const changed = await t.api("PATCH", `/canned-responses/${created.id}`, {
      token: sarah,
      body: { body: "Card 5500000000000004 is blocked." },
    });
    expect(changed.body.body).not.toContain("5500000000000004");
    const stored = JSON.stringify(await list(sarah));
    expect(stored).not.toContain(card);
    expect(stored).not.toContain("5500000000000004");
    const trail = JSON.stringify(await auditOf(created.id));
    expect(trail).not.toContain(card);
    expect(trail).not.toContain("5500000000000004");
  });

  it("customers are refused everything and see nothing", async () => {
    const before = await list(admin);
    const hello = before.find((c) => c.shortcut === "hello" && c.scope === "tenant")!;
    expectError(await t.api("GET", "/canned-responses", { token: john }), 403, "forbidden");
    expectError(
      await t.api("POST", "/canned-responses", {
        token: john,
        body: { shortcut: "x", title: "x", body: "x", scope: "personal" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await t.api("PATCH", `/canned-responses/${hello.id}`, { token: john, body: { title: "x" } }),
      403,
      "forbidden",
    );
    expectError(await t.api("DELETE", `/canned-responses/${hello.id}`, { token: john }), 403, "forbidden");
    expectError(await t.api("GET", "/canned-responses"), 401, "unauthenticated");
    expect(await list(admin)).toEqual(before);
  });

  it("Globex never sees or touches Acme's snippets", async () => {
    const acme = await list(admin);
    const hello = acme.find((c) => c.shortcut === "hello" && c.scope === "tenant")!;
    expect(await list(globexAdmin)).toEqual([]);
    expect(await list(globexAdmin, "q=hello")).toEqual([]);
    expectError(
      await t.api("PATCH", `/canned-responses/${hello.id}`, { token: globexAdmin, body: { title: "Ours" } }),
      404,
      "not_found",
    );
    expectError(
      await t.api("DELETE", `/canned-responses/${hello.id}`, { token: globexAdmin }),
      404,
      "not_found",
    );
    // Globex may use the same shortcut for its own.
    const own = await create(globexAdmin, {
      shortcut: "hello",
      title: "Greeting",
      body: "Hi from {{tenant.name}}",
      scope: "tenant",
    });
    expect(await list(globexAdmin)).toEqual([own]);
    expect(await list(admin)).toEqual(acme);
    expect((await list(admin)).map((c) => c.id)).not.toContain(own.id);
  });
});
