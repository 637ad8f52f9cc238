import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";
import { connectSocket, next } from "./helpers/socket";

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

const form = {
  subject: "Card declined abroad",
  description: "My card 4111 1111 1111 1111 was declined in Lisbon yesterday.",
  category: "billing",
};

describe("tickets", () => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let sarah: string;
  let mike: string;
  let john: string;
  let jane: string;
  let globexAdmin: string;
  const ids: Record<string, string> = {};

  const open = async (token: string, body: Record<string, unknown> = form) => {
    const res = await t.api("POST", "/tickets", { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const patch = (token: string, id: string, body: Record<string, unknown>) =>
    t.api("PATCH", `/tickets/${id}`, { token, body });
  const trail = async (token: string, id: string) => {
    const res = await t.api("GET", `/tickets/${id}/activity`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<{
      type: string;
      description: string;
      ip?: string;
      actor: { type: string };
    }>;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    lead = await t.login("lead@acme.test");
    sarah = await t.login("sarah@acme.test");
    mike = await t.login("mike@acme.test");
    john = await t.login("john@acme.test");
    jane = await t.login("jane@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    for (const [name, token] of Object.entries({ admin, lead, sarah, mike, john, jane })) {
      ids[name] = (await t.api("GET", "/me", { token })).body.user.id;
    }
  });
  afterAll(() => t.close());

  it("a customer opens a ticket from the form: numbered, masked, due, with its thread and trail", async () => {
    const ticket = await open(john);
    expect(ticket).toMatchObject({
      number: 1,
      reference: "TKT-000001",
      status: "open",
      priority: "medium",
      category: "billing",
      source: "form",
      customer: { id: ids.john, email: "john@acme.test" },
      assignee: null,
    });
    expect(ticket.description).toContain("4111 11•• •••• 1111");
    expect(JSON.stringify(ticket)).not.toContain("4111 1111 1111 1111");
    const due = new Date(ticket.slaDueAt).getTime() - new Date(ticket.createdAt).getTime();
    expect(due).toBe(2880 * 60_000);
    const messages = await t.api("GET", `/conversations/${ticket.conversationId}/messages`, { token: john });
    expect(messages.body.items.map((m: { body: string }) => m.body)).toEqual([ticket.description]);
    expect((await trail(john, ticket.id)).map((a) => a.type)).toEqual(["created"]);
  });

  it("numbers tickets without gaps or duplicates when many are opened at once", async () => {
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.api("POST", "/tickets", {
          token: i % 2 ? john : jane,
          body: { ...form, subject: `Parallel ticket ${i}` },
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    const numbers = created.map((r) => r.body.number as number).sort((a, b) => a - b);
    const first = numbers[0]!;
    expect(numbers).toEqual(numbers.map((_, i) => first + i));
    const all = await t.api("GET", "/tickets?limit=200", { token: admin });
    const taken = (all.body.items as Array<{ number: number }>).map((x) => x.number).sort((a, b) => a - b);
    expect(taken).toEqual(taken.map((_, i) => i + 1));
  });

  it("keeps tickets apart: customers see their own, staff their tenant's, other tenants nothing", async () => {
    const mine = await open(jane, { ...form, subject: "Jane's statement is missing" });
    const janeList = await t.api("GET", "/tickets?limit=200", { token: jane });
    expect(janeList.body.items.every((x: { customer: { id: string } }) => x.customer.id === ids.jane)).toBe(
      true,
    );
    expectError(await t.api("GET", `/tickets/${mine.id}`, { token: john }), 404, "not_found");
    expectError(await t.api("GET", `/tickets/${mine.id}/activity`, { token: john }), 404, "not_found");
    expectError(await patch(john, mine.id, { status: "closed" }), 404, "not_found");
    expectError(await t.api("GET", `/tickets/${mine.id}`, { token: globexAdmin }), 404, "not_found");
    expectError(await patch(globexAdmin, mine.id, { status: "in_progress" }), 404, "not_found");
    expect((await t.api("GET", "/tickets", { token: globexAdmin })).body.items).toEqual([]);
    expect((await t.api("GET", `/tickets/${mine.id}`, { token: sarah })).status).toBe(200);
    // The thread is the ticket's: other customers and other tenants cannot read it either.
    expectError(
      await t.api("GET", `/conversations/${mine.conversationId}`, { token: john }),
      404,
      "not_found",
    );
    // Tickets' threads stay out of chat inboxes.
    const inbox = await t.api("GET", "/conversations?limit=200", { token: admin });
    expect(inbox.body.items.some((c: { id: string }) => c.id === mine.conversationId)).toBe(false);
  });

  it("searches by number, words and the customer's email, and filters by status, category, priority and assignee", async () => {
    const a = await open(john, {
      ...form,
      subject: "Mortgage statement request",
      category: "account",
      priority: "low",
    });
    const b = await open(jane, {
      ...form,
      subject: "Suspicious login alert",
      category: "security",
      priority: "urgent",
    });
    const refs = async (token: string, query: string) =>
      (
        (await t.api("GET", `/tickets?limit=200&${query}`, { token })).body.items as Array<{
          reference: string;
        }>
      ).map((x) => x.reference);
    expect(await refs(sarah, `q=${a.reference}`)).toEqual([a.reference]);
    expect(await refs(sarah, `q=${a.number}`)).toEqual([a.reference]);
    expect(await refs(sarah, "q=mortg")).toEqual([a.reference]);
    expect(await refs(sarah, "q=jane%40acme")).toContain(b.reference);
    expect(await refs(sarah, "q=jane%40acme")).not.toContain(a.reference);
    // A customer's email search finds nothing of others; their own words work.
    expect(await refs(john, "q=suspicious")).toEqual([]);
    expect(await refs(john, "q=mortgage")).toEqual([a.reference]);
    expect(await refs(sarah, "category=security&priority=urgent")).toEqual([b.reference]);
    expect(await refs(sarah, "category=account,security&priority=low,urgent")).toEqual([
      b.reference,
      a.reference,
    ]);
    await patch(sarah, b.id, { assigneeId: ids.sarah });
    expect(await refs(sarah, "assigneeId=me")).toEqual([b.reference]);
    expect(await refs(mike, `assigneeId=${ids.sarah}`)).toEqual([b.reference]);
    expect(await refs(sarah, "assigneeId=none&priority=urgent")).toEqual([]);
    expect(await refs(sarah, "status=in_progress")).toEqual([]);
    for (const bad of [
      "status=pending",
      "category=cats",
      "priority=normal",
      "assigneeId=someone",
      "archived=yes",
      "cursor=abc",
    ]) {
      expectError(await t.api("GET", `/tickets?${bad}`, { token: sarah }), 400, "validation_failed");
    }
    // Paging with the cursor walks every ticket once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await t.api("GET", `/tickets?limit=7${cursor ? `&cursor=${cursor}` : ""}`, {
        token: admin,
      });
      seen.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await t.api("GET", "/tickets?limit=200", { token: admin })).body.items.length);
  });

  it("moves through allowed statuses only; customers may only close and reopen their own", async () => {
    const ticket = await open(john);
    expect((await patch(sarah, ticket.id, { status: "in_progress" })).body.status).toBe("in_progress");
    expect((await patch(sarah, ticket.id, { status: "resolved" })).body).toMatchObject({
      status: "resolved",
      resolvedAt: expect.any(String),
    });
    expectError(await patch(sarah, ticket.id, { status: "waiting_on_admin" }), 409, "conflict");
    expectError(await patch(john, ticket.id, { status: "in_progress" }), 403, "forbidden");
    expectError(await patch(john, ticket.id, { priority: "urgent" }), 403, "forbidden");
    expectError(await patch(john, ticket.id, { assigneeId: ids.sarah }), 403, "forbidden");
    const closed = await patch(john, ticket.id, { status: "closed" });
    expect(closed.body).toMatchObject({ status: "closed", closedAt: expect.any(String) });
    expectError(await patch(sarah, ticket.id, { status: "in_progress" }), 409, "conflict");
    // A closed ticket's thread takes no more customer messages.
    const refused = await t.api("POST", `/conversations/${ticket.conversationId}/messages`, {
      token: john,
      body: { body: "One more thing", clientId: "after-close" },
    });
    expectError(refused, 409, "conflict");
    const reopened = await patch(john, ticket.id, { status: "open" });
    expect(reopened.body).toMatchObject({ status: "open", closedAt: null, resolvedAt: null });
    // The thread's own status cannot be changed apart from the ticket.
    expectError(
      await t.api("POST", `/conversations/${ticket.conversationId}/resolve`, { token: sarah }),
      409,
      "conflict",
    );
    const types = (await trail(sarah, ticket.id)).map((a) => a.type);
    expect(types).toEqual(["created", "status_changed", "resolved", "closed", "reopened"]);
    // Nothing changed by the refused requests.
    expect((await t.api("GET", `/tickets/${ticket.id}`, { token: sarah })).body.priority).toBe("medium");
  });

  it("assigns: agents take a ticket themselves, team leads assign anyone, and only to active staff", async () => {
    const ticket = await open(jane);
    const mine = await patch(mike, ticket.id, { assigneeId: ids.mike });
    expect(mine.body).toMatchObject({
      assignee: { id: ids.mike, name: expect.any(String) },
      assignedAt: expect.any(String),
    });
    expectError(await patch(mike, ticket.id, { assigneeId: ids.sarah }), 403, "forbidden");
    expectError(await patch(lead, ticket.id, { assigneeId: ids.jane }), 400, "validation_failed");
    const globexAgent = await t.login("homer@globex.test", "globex");
    const homer = (await t.api("GET", "/me", { token: globexAgent })).body.user.id;
    expectError(await patch(lead, ticket.id, { assigneeId: homer }), 400, "validation_failed");
    expect((await patch(lead, ticket.id, { assigneeId: ids.sarah })).body.assignee.id).toBe(ids.sarah);
    expect((await patch(lead, ticket.id, { assigneeId: null })).body.assignee).toBeNull();
    expectError(await patch(lead, ticket.id, {}), 400, "validation_failed");
    expectError(await patch(lead, ticket.id, { owner: "me" }), 400, "validation_failed");
    const entries = await trail(lead, ticket.id);
    expect(entries.map((a) => a.type)).toEqual(["created", "assigned", "assigned", "unassigned"]);
    expect(entries[2]!.description).toMatch(/assigned the ticket to Sarah/);
  });

  it("replies: staff's first public reply is the first response, notes are internal, a customer's reply reopens", async () => {
    const ticket = await open(john);
    const say = (token: string, body: string, internal = false) =>
      t.api("POST", `/conversations/${ticket.conversationId}/messages`, {
        token,
        body: { body, clientId: `${body}-${internal}`, internal },
      });
    expect((await say(sarah, "Checking with the cards team", true)).status).toBe(201);
    expect((await t.api("GET", `/tickets/${ticket.id}`, { token: sarah })).body.firstResponseAt).toBeNull();
    expect((await say(sarah, "We are looking into it")).status).toBe(201);
    const answered = (await t.api("GET", `/tickets/${ticket.id}`, { token: sarah })).body;
    expect(answered.firstResponseAt).toEqual(expect.any(String));
    await patch(sarah, ticket.id, { status: "waiting_on_customer" });
    const paused = (await t.api("GET", `/tickets/${ticket.id}`, { token: sarah })).body;
    expect(paused.slaPaused).toBe(true);
    // Ten minutes waiting on the customer push the due times back by ten minutes.
    await t.database.db.execute(
      sql`update tickets set sla_paused_at = sla_paused_at - interval '10 minutes' where id = ${ticket.id}`,
    );
    expect((await say(john, "Here is the receipt")).status).toBe(201);
    const resumed = (await t.api("GET", `/tickets/${ticket.id}`, { token: sarah })).body;
    expect(resumed).toMatchObject({ status: "open", slaPaused: false });
    const shift = new Date(resumed.slaDueAt).getTime() - new Date(paused.slaDueAt).getTime();
    expect(shift).toBeGreaterThanOrEqual(600_000);
    expect(shift).toBeLessThan(660_000);
    const staffTrail = await trail(sarah, ticket.id);
    expect(staffTrail.map((a) => a.type)).toEqual([
      "created",
      "internal_note_added",
      "message_added",
      "status_changed",
      "message_added",
      "status_changed",
    ]);
    expect(staffTrail[0]!.ip).toEqual(expect.any(String));
    const customerTrail = await trail(john, ticket.id);
    expect(customerTrail.map((a) => a.type)).not.toContain("internal_note_added");
    expect(customerTrail.every((a) => a.ip === undefined)).toBe(true);
    expect(customerTrail.at(-1)!.actor.type).toBe("customer");
    const seen = await t.api("GET", `/conversations/${ticket.conversationId}/messages`, { token: john });
    expect(seen.body.items.map((m: { body: string }) => m.body)).not.toContain(
      "Checking with the cards team",
    );
  });

  it("takes one rating from the customer after resolve or close", async () => {
    const ticket = await open(jane);
    const rate = (token: string, body: Record<string, unknown>) =>
      t.api("POST", `/tickets/${ticket.id}/rating`, { token, body });
    expectError(await rate(jane, { score: 5 }), 409, "conflict");
    await patch(sarah, ticket.id, { status: "resolved" });
    expectError(await rate(john, { score: 5 }), 404, "not_found");
    expectError(await rate(sarah, { score: 5 }), 403, "forbidden");
    expectError(await rate(jane, { score: 6 }), 400, "validation_failed");
    expectError(await rate(jane, { score: 0 }), 400, "validation_failed");
    const rated = await rate(jane, { score: 4, comment: "Quick, but card 4111111111111111 was asked for" });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ rating: 4 });
    expect(rated.body.feedback).not.toContain("4111111111111111");
    expectError(await rate(jane, { score: 1 }), 409, "conflict");
    expect((await t.api("GET", `/tickets/${ticket.id}`, { token: jane })).body.rating).toBe(4);
    expect((await trail(jane, ticket.id)).at(-1)).toMatchObject({ type: "rated" });
    // The thread itself is not rated apart from its ticket.
    expectError(
      await t.api("POST", `/conversations/${ticket.conversationId}/rating`, {
        token: jane,
        body: { score: 5 },
      }),
      409,
      "conflict",
    );
  });

  it("refuses bad forms and changes nothing", async () => {
    const before = (await t.api("GET", "/tickets?limit=200", { token: admin })).body.items.length;
    const bad = [
      { ...form, subject: "Hi" },
      { ...form, description: "short" },
      { ...form, category: "complaints" },
      { ...form, priority: "normal" },
      { ...form, extra: true },
      { subject: form.subject },
      { ...form, conversationId: "not-an-id" },
    ];
    for (const body of bad) {
      expectError(await t.api("POST", "/tickets", { token: john, body }), 400, "validation_failed");
    }
    expectError(
      await t.api("POST", "/tickets", { token: john, body: { ...form, customerId: ids.jane } }),
      403,
      "forbidden",
    );
    expectError(await t.api("POST", "/tickets", { token: sarah, body: form }), 400, "validation_failed");
    expectError(
      await t.api("POST", "/tickets", { token: sarah, body: { ...form, customerId: ids.mike } }),
      400,
      "validation_failed",
    );
    expectError(await t.api("POST", "/tickets", { body: form }), 401, "unauthenticated");
    expectError(
      await t.api("POST", "/conversations", { token: john, body: { kind: "ticket", message: "hi" } }),
      400,
      "validation_failed",
    );
    expect((await t.api("GET", "/tickets?limit=200", { token: admin })).body.items.length).toBe(before);
    // The same form submitted twice with its clientId opens one ticket.
    const once = await open(john, { ...form, clientId: "form-42" });
    const again = await open(john, { ...form, clientId: "form-42" });
    expect(again.id).toBe(once.id);
  });

  it("staff open a ticket for a customer, and convert a chat into a ticket once", async () => {
    const forJane = await open(sarah, { ...form, customerId: ids.jane, priority: "high" });
    expect(forJane).toMatchObject({ customer: { id: ids.jane }, priority: "high", source: "form" });
    expect((await t.api("GET", `/tickets/${forJane.id}`, { token: jane })).status).toBe(200);

    const chat = await t.api("POST", "/conversations", {
      token: john,
      body: { message: "My transfer bounced" },
    });
    expect(chat.status).toBe(201);
    const convert = {
      subject: "Bounced transfer",
      description: "The transfer of 20 June bounced back.",
      category: "billing",
    };
    // A closed chat is out of an agent's sight until it becomes a ticket's thread.
    expect((await t.api("POST", `/conversations/${chat.body.id}/close`, { token: lead })).status).toBe(200);
    expectError(await t.api("GET", `/conversations/${chat.body.id}`, { token: mike }), 404, "not_found");
    const converted = await open(lead, { ...convert, conversationId: chat.body.id });
    expect((await t.api("GET", `/conversations/${chat.body.id}/messages`, { token: mike })).status).toBe(200);
    const byChat = await t.api("GET", `/tickets?conversationId=${chat.body.id}`, { token: mike });
    expect(byChat.body.items.map((x: { id: string }) => x.id)).toEqual([converted.id]);
    expect(converted).toMatchObject({
      conversationId: chat.body.id,
      source: "chat",
      customer: { id: ids.john },
    });
    expectError(
      await t.api("POST", "/tickets", { token: lead, body: { ...convert, conversationId: chat.body.id } }),
      409,
      "conflict",
    );
    expectError(
      await t.api("POST", "/tickets", { token: jane, body: { ...convert, conversationId: chat.body.id } }),
      404,
      "not_found",
    );
    expectError(
      await t.api("POST", "/tickets", {
        token: globexAdmin,
        body: { ...convert, conversationId: chat.body.id },
      }),
      404,
      "not_found",
    );
    // Messages in the chat now land in the ticket's trail.
    expect((await t.api("POST", `/conversations/${chat.body.id}/reopen`, { token: lead })).status).toBe(200);
    const news = await t.api("POST", `/conversations/${chat.body.id}/messages`, {
      token: john,
      body: { body: "Any news?", clientId: "news" },
    });
    expect(news.status, JSON.stringify(news.body)).toBe(201);
    expect((await trail(lead, converted.id)).map((a) => a.type)).toEqual(["created", "message_added"]);
  });

  it("opens a ticket on a customer's first chat message when the tenant turns that on", async () => {
    expect(
      (await t.api("PATCH", "/settings", { token: admin, body: { autoTicketFromChat: true } })).status,
    ).toBe(200);
    try {
      const chat = await t.api("POST", "/conversations", {
        token: jane,
        body: { message: "I lost my card in Porto" },
      });
      const found = await t.api("GET", `/tickets?customerId=${ids.jane}&limit=200`, { token: admin });
      const auto = found.body.items.find(
        (x: { conversationId: string }) => x.conversationId === chat.body.id,
      );
      expect(auto).toMatchObject({
        source: "auto",
        subject: "Support request from Jane Doe".replace("Jane Doe", auto?.customer.name),
        description: "I lost my card in Porto",
        priority: "medium",
        category: "general",
      });
      await t.api("POST", `/conversations/${chat.body.id}/messages`, {
        token: jane,
        body: { body: "Still there?", clientId: "still" },
      });
      const again = await t.api("GET", `/tickets?customerId=${ids.jane}&limit=200`, { token: admin });
      expect(
        again.body.items.filter((x: { conversationId: string }) => x.conversationId === chat.body.id),
      ).toHaveLength(1);
    } finally {
      await t.api("PATCH", "/settings", { token: admin, body: { autoTicketFromChat: false } });
    }
  });

  it("keeps an archived ticket read-only, and puts every change in the tenant's audit trail", async () => {
    const ticket = await open(john);
    await t.database.db.execute(sql`update tickets set archived_at = now() where id = ${ticket.id}`);
    expectError(await patch(sarah, ticket.id, { status: "in_progress" }), 409, "conflict");
    expect(
      (await t.api("GET", "/tickets?archived=true", { token: admin })).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).toContain(ticket.id);
    expect(
      (await t.api("GET", "/tickets?limit=200", { token: admin })).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).not.toContain(ticket.id);
    const audit = await t.api("GET", `/audit-log?subjectType=ticket&subjectId=${ticket.id}`, {
      token: admin,
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain("ticket.created");
    expect((await t.api("GET", "/audit-log/verify", { token: admin })).body).toMatchObject({ ok: true });
  });

  it("announces changes live to the tenant's staff and to the ticket's customer", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const ticket = await open(john);
    const customer = await connectSocket(url, { token: john });
    const staff = await connectSocket(url, { token: sarah });
    const other = await connectSocket(url, { token: jane });
    let leaked = false;
    other.on("ticket:updated", () => {
      leaked = true;
    });
    try {
      const seenByCustomer = next(
        customer,
        "ticket:updated",
        (p) => p.ticket.id === ticket.id && p.ticket.status === "in_progress",
      );
      const seenByStaff = next(
        staff,
        "ticket:updated",
        (p) => p.ticket.id === ticket.id && p.ticket.status === "in_progress",
      );
      await patch(sarah, ticket.id, { status: "in_progress" });
      expect((await seenByCustomer).ticket.reference).toBe(ticket.reference);
      expect((await seenByStaff).ticket.customer?.email).toBe("john@acme.test");
      await new Promise((r) => setTimeout(r, 200));
      expect(leaked).toBe(false);
    } finally {
      customer.close();
      staff.close();
      other.close();
    }
  });
});
