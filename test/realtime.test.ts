import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageView } from "../src/protocol/events";
import { startTestServer, type TestServer } from "./helpers/server";
import {
  type ClientSocket,
  connectSocket,
  next,
  record,
  request,
  requestPaced,
  settle,
} from "./helpers/socket";

describe("real-time chat over Socket.IO", () => {
  let srv: TestServer;
  let john: string;
  let sarah: string;
  let mike: string;
  let conversationId: string;
  const open: ClientSocket[] = [];
  const connect = async (token: string) => {
    const socket = await connectSocket(srv.url, { token });
    open.push(socket);
    return socket;
  };

  beforeAll(async () => {
    srv = await startTestServer();
    [john, sarah, mike] = await Promise.all([
      srv.login("john@acme.test"),
      srv.login("sarah@acme.test"),
      srv.login("mike@acme.test"),
    ]);
    const created = await srv.api("POST", "/conversations", {
      token: john,
      body: { subject: "Card blocked", message: "Hello, my card is blocked" },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("queued");
    conversationId = created.body.id;
    const me = await srv.api("GET", "/me", { token: sarah });
    const picked = await srv.api("POST", `/conversations/${conversationId}/assign`, {
      token: sarah,
      body: { assigneeId: me.body.user.id },
    });
    expect(picked.status).toBe(200);
    expect(picked.body.status).toBe("open");
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await srv.close();
  });

  it("customer and agent talk both ways with acknowledgements, typing and read marks", async () => {
    const customer = await connect(john);
    const agent = await connect(sarah);
    const joinC = await request<{ messages: MessageView[]; lastSeq: number }>(customer, "conversation:join", {
      conversationId,
      afterSeq: 0,
    });
    const joinA = await request(agent, "conversation:join", { conversationId, afterSeq: 0 });
    expect(joinC.ok && joinA.ok).toBe(true);
    if (!joinC.ok) return;
    // The opening message, the automatic reply (nobody was online) and the pickup notice, in seq order.
    expect(joinC.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(joinC.messages.map((m) => m.sender.type)).toEqual(["customer", "bot", "system"]);

    const typing = next(agent, "typing", (t) => t.isTyping);
    expect((await request(customer, "typing:start", { conversationId })).ok).toBe(true);
    expect(await typing).toMatchObject({ conversationId, name: "John Doe", isTyping: true });

    const arriving = next(agent, "message:new", (p) => p.message.clientId === "c-1");
    const sent = await request<{ message: MessageView; duplicate: boolean }>(customer, "message:send", {
      conversationId,
      body: "Can you unblock it?",
      clientId: "c-1",
    });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.message.seq).toBe(4);
    expect((await arriving).message).toEqual(sent.message);

    const reply = next(customer, "message:new", (p) => p.message.clientId === "a-1");
    await request(agent, "message:send", { conversationId, body: "Done, try again now.", clientId: "a-1" });
    expect((await reply).message).toMatchObject({
      seq: 5,
      body: "Done, try again now.",
      sender: { name: "Sarah Johnson", type: "staff" },
    });

    const readMark = next(agent, "message:read", (r) => r.seq === 5);
    const read = await request<{ seq: number }>(customer, "message:read", { conversationId, seq: 5 });
    expect(read).toEqual({ ok: true, seq: 5 });
    expect(await readMark).toMatchObject({ conversationId, seq: 5 });

    const view = await srv.api("GET", `/conversations/${conversationId}`, { token: sarah });
    expect(view.body.participants.find((p: { name: string }) => p.name === "John Doe").lastReadSeq).toBe(5);
    expect(view.body.firstResponseAt).not.toBeNull();
  });

  it("a retried send with the same clientId returns the first message, not a copy", async () => {
    const customer = await connect(john);
    await request(customer, "conversation:join", { conversationId });
    const first = await request<{ message: MessageView; duplicate: boolean }>(customer, "message:send", {
      conversationId,
      body: "Once only",
      clientId: "retry-1",
    });
    const again = await request<{ message: MessageView; duplicate: boolean }>(customer, "message:send", {
      conversationId,
      body: "Once only",
      clientId: "retry-1",
    });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.duplicate).toBe(true);
    expect(again.message).toEqual(first.message);
    const list = await srv.api("GET", `/conversations/${conversationId}/messages?after=0&limit=200`, {
      token: john,
    });
    expect(list.body.items.filter((m: MessageView) => m.clientId === "retry-1")).toHaveLength(1);
  });

  it("internal notes reach staff only, on every path", async () => {
    const customer = await connect(john);
    const agent = await connect(sarah);
    await request(customer, "conversation:join", { conversationId });
    await request(agent, "conversation:join", { conversationId });
    const customerSaw = record(customer, "message:new");
    const staffSees = next(agent, "message:new", (p) => p.message.internal);
    const note = await request<{ message: MessageView }>(agent, "message:send", {
      conversationId,
      body: "VIP customer, waive the fee zebrafish",
      clientId: "note-1",
      internal: true,
    });
    expect(note.ok).toBe(true);
    await staffSees;
    await settle();
    expect(customerSaw.filter((p) => p.message.internal)).toEqual([]);
    const customerList = await srv.api("GET", `/conversations/${conversationId}/messages?after=0&limit=200`, {
      token: john,
    });
    expect(customerList.body.items.some((m: MessageView) => m.internal)).toBe(false);
    const staffList = await srv.api("GET", `/conversations/${conversationId}/messages?after=0&limit=200`, {
      token: sarah,
    });
    expect(staffList.body.items.some((m: MessageView) => m.internal)).toBe(true);
    const customerSearch = await srv.api("GET", "/conversations?q=zebrafish", { token: john });
    expect(customerSearch.body.items).toEqual([]);
    const staffSearch = await srv.api("GET", "/conversations?q=zebrafish", { token: sarah });
    expect(staffSearch.body.items.map((c: { id: string }) => c.id)).toEqual([conversationId]);
    const catchUp = await request<{ messages: MessageView[] }>(customer, "conversation:join", {
      conversationId,
      afterSeq: 0,
    });
    expect(catchUp.ok && catchUp.messages.some((m) => m.internal)).toBe(false);
    // A customer cannot write one.
    const forged = await request(customer, "message:send", {
      conversationId,
      body: "sneaky",
      clientId: "c-note",
      internal: true,
    });
    expect(forged).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("a client that reconnects with afterSeq gets exactly the 50 messages it missed", async () => {
    const customer = await connect(john);
    const agent = await connect(sarah);
    const joined = await request<{ lastSeq: number }>(customer, "conversation:join", { conversationId });
    await request(agent, "conversation:join", { conversationId });
    if (!joined.ok) throw new Error("join failed");
    const lastSeen = joined.lastSeq;
    customer.disconnect();
    const acked: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await requestPaced<{ message: MessageView }>(agent, "message:send", {
        conversationId,
        body: `Update ${i + 1}`,
        clientId: `burst-${i}`,
      });
      if (res.ok) acked.push(res.message.seq);
    }
    expect(acked).toHaveLength(50);
    const back = await connect(john);
    const caughtUp = await request<{ messages: MessageView[]; hasMore: boolean }>(back, "conversation:join", {
      conversationId,
      afterSeq: lastSeen,
    });
    expect(caughtUp.ok).toBe(true);
    if (!caughtUp.ok) return;
    const seqs = caughtUp.messages.map((m) => m.seq);
    expect(seqs).toEqual(acked);
    expect(new Set(seqs).size).toBe(50);
    expect(caughtUp.messages.map((m) => m.body)).toEqual(
      Array.from({ length: 50 }, (_, i) => `Update ${i + 1}`),
    );
    expect(caughtUp.hasMore).toBe(false);
  });

  it("refuses sockets without a valid session, and cookie sockets from another site", async () => {
    await expect(connectSocket(srv.url)).rejects.toThrow();
    await expect(connectSocket(srv.url, { token: "sbs_forged" })).rejects.toThrow();
    await expect(
      connectSocket(
        srv.url,
        {},
        {
          extraHeaders: { cookie: `sb_session=${john}`, origin: "http://evil.test" },
          transports: ["polling"],
        },
      ),
    ).rejects.toThrow(/other sites/);
    const loggedOut = await srv.login("bob@acme.test");
    await srv.api("POST", "/auth/logout", { token: loggedOut });
    await expect(connectSocket(srv.url, { token: loggedOut })).rejects.toThrow();
  });

  it("answers malformed events, foreign conversations and floods with errors, changing nothing", async () => {
    const agent = await connect(mike);
    const before = await srv.api("GET", `/conversations/${conversationId}`, { token: sarah });
    expect(await request(agent, "message:send", { conversationId, body: 42, clientId: "x" })).toMatchObject({
      ok: false,
      error: { code: "validation_failed", details: { fields: { body: expect.any(String) } } },
    });
    expect(await request(agent, "message:send", { conversationId: "not-a-uuid" })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    expect(
      await request(agent, "message:send", { conversationId, body: "hi", clientId: "x", admin: true }),
    ).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(await request(agent, "conversation:join", null)).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    // Mike is neither assigned nor a participant, and the chat is no longer queued: it does not exist for him.
    expect(await request(agent, "conversation:join", { conversationId })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(
      await request(agent, "message:send", { conversationId, body: "hi", clientId: "m-1" }),
    ).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await request(agent, "typing:start", { conversationId })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });

    const globex = await srv.login("homer@globex.test", "globex");
    const foreign = await connect(globex);
    expect(await request(foreign, "conversation:join", { conversationId })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });

    const flood = await Promise.all(
      Array.from({ length: 120 }, () => request(foreign, "typing:stop", { conversationId })),
    );
    const refused = flood.find((r) => !r.ok && r.error.code === "rate_limited");
    // A refused client is told how long to wait before its next event is accepted.
    expect(refused && !refused.ok && Number(refused.error.details?.retryAfterMs)).toBeGreaterThan(0);

    const after = await srv.api("GET", `/conversations/${conversationId}`, { token: sarah });
    expect(after.body.lastSeq).toBe(before.body.lastSeq);
  });

  it("tells the conversation when someone comes online and, after the grace period, goes offline", async () => {
    const agent = await connect(sarah);
    await request(agent, "conversation:join", { conversationId });
    // The team lead takes the conversation over, so his presence becomes the conversation's business.
    const lead = await srv.login("lead@acme.test");
    const me = await srv.api("GET", "/me", { token: lead });
    const moved = await srv.api("POST", `/conversations/${conversationId}/assign`, {
      token: lead,
      body: { assigneeId: me.body.user.id, note: "Taking this one" },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.assignee.name).toBe("Tom Baker");
    const online = next(agent, "presence", (p) => p.userId === me.body.user.id && p.online);
    const leadSocket = await connectSocket(srv.url, { token: lead });
    expect(await online).toMatchObject({ availability: "offline", online: true });
    const offline = next(agent, "presence", (p) => p.userId === me.body.user.id && !p.online, 10_000);
    leadSocket.close();
    expect((await offline).lastSeenAt).toEqual(expect.any(String));
  });
});
