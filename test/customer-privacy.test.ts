import { existsSync } from "node:fs";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activity,
  attachments,
  calls,
  conversations,
  messages,
  tickets,
  users,
} from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { uploadsDir } from "../src/server/modules/uploads/storage";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";
import { connectSocket } from "./helpers/socket";

const note = "INTERNAL-NOTE-7731: customer seemed stressed";
const unknownId = "00000000-0000-4000-8000-000000000000";

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe("customer data export and erasure", () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let seq = 0;
  const made: Record<string, string> = {};
  const filePaths: string[] = [];

  const db = () => t.database.db;
  const ok = (res: ApiResponse, status = 200) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  async function upload(token: string, text: string): Promise<string> {
    const boundary = `----privacy${++seq}`;
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/uploads",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="payslip.txt"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const [row] = await inSystem(db(), (tx) => tx.select().from(attachments).where(eq(attachments.id, id)));
    filePaths.push(join(uploadsDir(t.config.dataDir), row!.storageKey));
    return id;
  }
  const say = (token: string, conversationId: string, body: string, extra: Record<string, unknown> = {}) =>
    t.api("POST", `/conversations/${conversationId}/messages`, {
      token,
      body: { body, clientId: `m-${++seq}`, ...extra },
    });
  const exportOf = (id: string, token = tok.admin!, headers: Record<string, string> = {}) =>
    t.api("GET", `/customers/${id}/export`, { token, headers });
  const erase = (id: string, token = tok.admin!) => t.api("DELETE", `/customers/${id}`, { token });
  const tenantOf = () => sql`(select tenant_id from users where id = ${ids.john})`;
  const auditCount = async () =>
    (await inSystem(db(), (tx) => tx.select({ id: activity.id }).from(activity))).length;

  beforeAll(async () => {
    t = await createTestApp({ env: { RETENTION_INTERVAL_MINUTES: "0" } });
    for (const [name, email] of Object.entries({
      admin: "admin@acme.test",
      supervisor: "supervisor@acme.test",
      lead: "lead@acme.test",
      sarah: "sarah@acme.test",
      john: "john@acme.test",
      jane: "jane@acme.test",
      bob: "bob@acme.test",
    })) {
      tok[name] = await t.login(email);
      ids[name] = (await t.api("GET", "/me", { token: tok[name] })).body.user.id;
    }
    tok.globexAdmin = await t.login("admin@globex.test", "globex");
    tok.root = await t.login("root@switchboard.test", null);

    // John's history: a chat with a file, a reply, an internal note and a rating; a rated ticket; a group chat
    // with Jane; a file he never sent; an API token.
    const chat = ok(
      await t.api("POST", "/conversations", {
        token: tok.john,
        body: { subject: "Salary not credited", message: "My salary did not arrive" },
      }),
      201,
    );
    made.chat = chat.id;
    ok(
      await say(tok.john!, chat.id, "Here is my payslip", {
        attachmentIds: [await upload(tok.john!, "payslip")],
      }),
      201,
    );
    ok(await say(tok.admin!, chat.id, "We are looking into it"), 201);
    ok(await say(tok.admin!, chat.id, note, { internal: true }), 201);
    ok(await t.api("POST", `/conversations/${chat.id}/resolve`, { token: tok.admin }));
    ok(
      await t.api("POST", `/conversations/${chat.id}/rating`, {
        token: tok.john,
        body: { score: 5, comment: "Quick help" },
      }),
    );

    const ticket = ok(
      await t.api("POST", "/tickets", {
        token: tok.john,
        body: {
          subject: "Card replacement",
          description: "Please send a new card to my home",
          category: "account",
        },
      }),
      201,
    );
    made.ticket = ticket.id;
    made.ticketThread = ticket.conversationId;
    ok(await t.api("PATCH", `/tickets/${ticket.id}`, { token: tok.sarah, body: { status: "resolved" } }));
    ok(
      await t.api("POST", `/tickets/${ticket.id}/rating`, {
        token: tok.john,
        body: { score: 4, comment: "Fine" },
      }),
    );

    const group = ok(
      await t.api("POST", "/conversations", {
        token: tok.admin,
        body: {
          kind: "group",
          contextId: "loan-42",
          subject: "Joint loan",
          participantIds: [ids.john, ids.jane],
        },
      }),
      201,
    );
    made.group = group.id;
    ok(await say(tok.john!, group.id, "JOHN-IN-GROUP: my part is ready"), 201);
    ok(await say(tok.jane!, group.id, "JANE-IN-GROUP: mine too"), 201);
    made.loose = await upload(tok.john!, "never sent");
    // Two calls, one recorded (the recording is a file the agent's side stored).
    const recording = await upload(tok.sarah!, "audio");
    await inSystem(db(), (tx) =>
      tx.insert(calls).values([
        {
          tenantId: tenantOf(),
          customerId: ids.john,
          agentId: ids.sarah,
          status: "completed",
          queuedAt: new Date(),
          durationSeconds: 90,
          recordingId: recording,
        },
        { tenantId: tenantOf(), customerId: ids.john, status: "missed", queuedAt: new Date() },
      ]),
    );
    ok(await t.api("POST", "/me/tokens", { token: tok.john, body: { name: "budget app" } }), 201);

    made.janeTicket = ok(
      await t.api("POST", "/tickets", {
        token: tok.jane,
        body: { subject: "Jane's own matter", description: "Something only about Jane", category: "general" },
      }),
      201,
    ).id;
  });
  afterAll(() => t.close());

  it("exports what the customer said and was told as a download, without internal notes or secrets", async () => {
    const before = await auditCount();
    const res = await exportOf(ids.john!);
    const data = ok(res);
    expect(res.headers["content-disposition"]).toMatch(
      new RegExp(`^attachment; filename="customer-${ids.john}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    expect(res.headers["content-type"]).toContain("application/json");
    expect(data.profile).toMatchObject({
      id: ids.john,
      email: "john@acme.test",
      name: "John Doe",
      status: "active",
    });
    expect(data.notes.internalNotes).toMatch(/^Left out: staff's internal notes/);

    const chat = data.conversations.find((c: { id: string }) => c.id === made.chat);
    // What they were told includes the automatic reply and the system's notices.
    expect(
      chat.messages.map((m: { body: string; sender: { type: string } }) => [m.sender.type, m.body]),
    ).toEqual([
      ["customer", "My salary did not arrive"],
      ["bot", expect.stringContaining("Nobody is available right now")],
      ["customer", "Here is my payslip"],
      ["staff", "We are looking into it"],
      ["system", "Olivia Grant resolved the conversation."],
    ]);
    expect(chat.messages[2].attachments).toEqual([
      expect.objectContaining({ name: "payslip.txt", mime: "text/plain" }),
    ]);
    expect(chat.messages[0].sender).toEqual({ name: "John Doe", type: "customer", you: true });
    expect(chat.messages[3].sender).toEqual({ name: "Olivia Grant", type: "staff", you: false });
    const group = data.conversations.find((c: { id: string }) => c.id === made.group);
    expect(group.messages.map((m: { body: string }) => m.body)).toEqual([
      "JOHN-IN-GROUP: my part is ready",
      "JANE-IN-GROUP: mine too",
    ]);
    expect(data.conversations.map((c: { id: string }) => c.id)).toContain(made.ticketThread);

    expect(data.tickets).toHaveLength(1);
    expect(data.tickets[0]).toMatchObject({ id: made.ticket, subject: "Card replacement", rating: 4 });
    expect(data.tickets[0].activity.map((a: { type: string }) => a.type)).toEqual([
      "created",
      "resolved",
      "rated",
    ]);
    expect(data.tickets[0].activity[0]).not.toHaveProperty("ip");
    expect(data.ratings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ of: "conversation", id: made.chat, score: 5, comment: "Quick help" }),
        expect.objectContaining({ of: "ticket", id: made.ticket, score: 4, comment: "Fine" }),
      ]),
    );
    expect(data.attachments.map((a: { id: string }) => a.id)).toContain(made.loose);
    expect(data.attachments).toHaveLength(2);
    expect(data.calls.map((c: { status: string; recorded: boolean }) => [c.status, c.recorded])).toEqual([
      ["completed", true],
      ["missed", false],
    ]);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.apiTokens).toEqual([expect.objectContaining({ name: "budget app" })]);

    const text = JSON.stringify(data);
    for (const secret of [
      note,
      "INTERNAL-NOTE",
      "passwordHash",
      "tokenHash",
      "storageKey",
      "Jane's own matter",
      tok.john!,
    ])
      expect(text).not.toContain(secret);

    const [entry] = await inSystem(db(), (tx) =>
      tx
        .select()
        .from(activity)
        .where(sql`${activity.action} = 'customer.exported' and ${activity.subjectId} = ${ids.john}`),
    );
    expect(entry).toMatchObject({ actorId: ids.admin, subjectType: "user" });
    expect(entry!.metadata).toMatchObject({ conversations: 3, tickets: 1, calls: 2, attachments: 2 });
    expect(JSON.stringify(entry)).not.toContain("salary");
    expect(await auditCount()).toBe(before + 1);
  });

  it("only admins and above; only customers; only this tenant's", async () => {
    for (const who of ["sarah", "lead", "supervisor", "john"]) {
      expectError(await exportOf(ids.john!, tok[who]), 403, "forbidden");
      expectError(await erase(ids.jane!, tok[who]), 403, "forbidden");
    }
    expectError(await exportOf(ids.sarah!), 400, "validation_failed");
    expectError(await erase(ids.sarah!), 400, "validation_failed");
    expectError(await exportOf(ids.john!, tok.globexAdmin), 404, "not_found");
    expectError(await erase(ids.john!, tok.globexAdmin), 404, "not_found");
    expectError(await exportOf(unknownId), 404, "not_found");
    expectError(await erase(unknownId), 404, "not_found");
    expectError(await exportOf("not-an-id"), 400, "validation_failed");
    expectError(await erase("not-an-id"), 400, "validation_failed");
    // Nothing above changed anyone.
    const [sarah] = await inSystem(db(), (tx) => tx.select().from(users).where(eq(users.id, ids.sarah!)));
    expect(sarah).toMatchObject({ email: "sarah@acme.test", status: "active" });
    expect(ok(await t.api("GET", `/tickets/${made.janeTicket}`, { token: tok.jane })).subject).toBe(
      "Jane's own matter",
    );
    // A super admin acts in a tenant they name.
    expect(ok(await exportOf(ids.jane!, tok.root, { "x-tenant": "acme" })).profile.email).toBe(
      "jane@acme.test",
    );
  });

  it("erasure deletes their chats, tickets, files and sign-ins and anonymises the account; the audit trail stays", async () => {
    expect(filePaths.every((p) => existsSync(p))).toBe(true);
    const johnEntries = await inSystem(db(), (tx) =>
      tx.select({ id: activity.id }).from(activity).where(eq(activity.actorId, ids.john!)),
    );
    const res = await erase(ids.john!);
    const body = ok(res);
    expect(body).toEqual({
      id: ids.john,
      erasedAt: expect.any(String),
      deleted: {
        conversations: 2,
        tickets: 1,
        calls: 2,
        messagesEmptied: 1,
        attachments: 3,
        bytes: "payslip".length + "never sent".length + "audio".length,
        sessions: 1,
        apiTokens: 1,
        signInLinks: 0,
        emails: expect.any(Number),
      },
    });

    const [row] = await inSystem(db(), (tx) => tx.select().from(users).where(eq(users.id, ids.john!)));
    expect(row).toMatchObject({
      name: "Erased customer",
      email: `erased-${ids.john}@invalid`,
      passwordHash: null,
      status: "deactivated",
      externalId: null,
    });
    const left = await inSystem(db(), async (tx) => ({
      chat: await tx.select().from(conversations).where(eq(conversations.id, made.chat!)),
      thread: await tx.select().from(conversations).where(eq(conversations.id, made.ticketThread!)),
      ticket: await tx.select().from(tickets).where(eq(tickets.id, made.ticket!)),
      files: await tx.select().from(attachments).where(eq(attachments.uploaderId, ids.john!)),
      calls: await tx.select().from(calls).where(eq(calls.customerId, ids.john!)),
    }));
    expect(left).toEqual({ chat: [], thread: [], ticket: [], files: [], calls: [] });
    expect(filePaths.some((p) => existsSync(p))).toBe(false);

    // The group stays for the others: John's words are gone, Jane's are not.
    const group = await inSystem(db(), (tx) =>
      tx.select().from(messages).where(eq(messages.conversationId, made.group!)),
    );
    const bodies = group.map((m) => `${m.senderName}: ${m.body}`);
    expect(bodies).toContain("Erased customer: This message was erased.");
    expect(bodies).toContain("Jane Smith: JANE-IN-GROUP: mine too");
    expect(bodies.join("\n")).not.toContain("JOHN-IN-GROUP");
    expect(ok(await t.api("GET", `/tickets/${made.janeTicket}`, { token: tok.jane })).subject).toBe(
      "Jane's own matter",
    );

    // They cannot sign in any more, with the old session or the old password.
    expectError(await t.api("GET", "/me", { token: tok.john }), 401, "unauthenticated");
    const login = await t.api("POST", "/auth/login", {
      body: { tenant: "acme", email: "john@acme.test", password: "demo-password-1" },
    });
    expectError(login, 401, "unauthenticated");

    // The audit trail keeps every entry, records the erasure without personal content, and still verifies.
    const kept = await inSystem(db(), (tx) =>
      tx.select({ id: activity.id }).from(activity).where(eq(activity.actorId, ids.john!)),
    );
    expect(kept).toEqual(johnEntries);
    const [erased] = await inSystem(db(), (tx) =>
      tx
        .select()
        .from(activity)
        .where(sql`${activity.action} = 'customer.erased' and ${activity.subjectId} = ${ids.john}`),
    );
    const { apiTokens, ...counts } = body.deleted;
    expect(erased).toMatchObject({
      actorId: ids.admin,
      subjectType: "user",
      metadata: { ...counts, apiKeys: apiTokens },
    });
    expect(JSON.stringify(erased)).not.toMatch(/john@acme|John Doe|salary/i);
    expect(ok(await t.api("GET", "/audit-log/verify", { token: tok.admin }))).toMatchObject({ ok: true });
  });

  it("erasing twice is a conflict that changes nothing; the export then shows nothing is left", async () => {
    const before = await auditCount();
    expectError(await erase(ids.john!), 409, "conflict");
    expect(await auditCount()).toBe(before);
    const data = ok(await exportOf(ids.john!));
    expect(data.profile).toMatchObject({
      name: "Erased customer",
      email: `erased-${ids.john}@invalid`,
      status: "deactivated",
    });
    const lists = ["conversations", "tickets", "ratings", "attachments", "calls", "sessions", "apiTokens"];
    expect(lists.map((k) => [k, data[k]])).toEqual(lists.map((k) => [k, []]));
    // The address is free again: someone signing up with it starts with nothing.
    const fresh = ok(
      await t.api("POST", "/auth/signup", {
        body: { tenant: "acme", email: "john@acme.test", password: "a-new-password-1", name: "John Again" },
      }),
      201,
    );
    expect(fresh.user.id).not.toBe(ids.john);
    expect(ok(await t.api("GET", "/tickets", { token: fresh.token })).items).toEqual([]);
  });

  it("two erasures of the same customer at once: one erases, the other is a conflict", async () => {
    const chat = ok(
      await t.api("POST", "/conversations", { token: tok.bob, body: { message: "Still waiting" } }),
      201,
    );
    // Bob is connected: erasure ends his open sockets too, not only his sessions.
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    const socket = await connectSocket(
      `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
      { token: tok.bob! },
    );
    const closed = new Promise<string>((resolve) => socket.on("disconnect", resolve));
    const results = await Promise.all([erase(ids.bob!), erase(ids.bob!)]);
    expect(await closed).toBe("io server disconnect");
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const entries = await inSystem(db(), (tx) =>
      tx
        .select()
        .from(activity)
        .where(sql`${activity.action} = 'customer.erased' and ${activity.subjectId} = ${ids.bob}`),
    );
    expect(entries).toHaveLength(1);
    expect(
      await inSystem(db(), (tx) => tx.select().from(conversations).where(eq(conversations.id, chat.id))),
    ).toEqual([]);
    const queue = ok(await t.api("GET", "/queue", { token: tok.sarah }));
    expect(queue.chats.map((c: { id: string }) => c.id)).not.toContain(chat.id);
  });
});
