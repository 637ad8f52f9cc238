import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";

describe("conversations over REST", () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    for (const [who, email, tenant] of [
      ["john", "john@acme.test", "acme"],
      ["jane", "jane@acme.test", "acme"],
      ["bob", "bob@acme.test", "acme"],
      ["sarah", "sarah@acme.test", "acme"],
      ["mike", "mike@acme.test", "acme"],
      ["lead", "lead@acme.test", "acme"],
      ["admin", "admin@acme.test", "acme"],
      ["marge", "marge@globex.test", "globex"],
    ] as const) {
      tok[who] = await t.login(email, tenant);
      ids[who] = (await t.api("GET", "/me", { token: tok[who] })).body.user.id;
    }
    tok.root = await t.login("root@switchboard.test", null);
  });
  afterAll(() => t.close());

  const post = (who: string, path: string, body?: unknown) =>
    t.api("POST", path, { token: tok[who], body: body ?? {} });

  it("numbers conversations per tenant without gaps and masks the subject", async () => {
    const a = await post("john", "/conversations", { subject: "Card 4111 1111 1111 1111 lost" });
    const b = await post("jane", "/conversations", { subject: "Statement" });
    const g = await post("marge", "/conversations", { subject: "Globex question" });
    expect(b.body.number).toBe(a.body.number + 1);
    expect(g.body.number).toBe(1);
    expect(a.body.subject).toBe("Card 4111 11•• •••• 1111 lost");
    expect(a.body).toMatchObject({ kind: "support", status: "queued", customer: { id: ids.john } });
  });

  it("walks a chat through its statuses, each with a system message, and refuses illegal changes", async () => {
    const chat = await post("john", "/conversations", { subject: "Loan", message: "About my loan" });
    const id = chat.body.id;
    expect((await post("sarah", `/conversations/${id}/resolve`)).status).toBe(403);
    expect((await post("sarah", `/conversations/${id}/assign`, { assigneeId: ids.sarah })).status).toBe(200);
    // Mike saw it in the queue a moment ago: he is told it was taken, not that it does not exist.
    const late = await post("mike", `/conversations/${id}/assign`, { assigneeId: ids.mike });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe("Someone else has already taken this chat.");
    expect((await post("sarah", `/conversations/${id}/pending`)).body.status).toBe("pending");
    await t.api("POST", `/conversations/${id}/messages`, {
      token: tok.john,
      body: { body: "Here are the details", clientId: "j-1" },
    });
    expect((await t.api("GET", `/conversations/${id}`, { token: tok.sarah })).body.status).toBe("open");
    expect((await post("sarah", `/conversations/${id}/reopen`)).status).toBe(409);
    expect((await post("john", `/conversations/${id}/resolve`)).status).toBe(403);
    expect((await post("john", `/conversations/${id}/rating`, { score: 5 })).status).toBe(409);
    const resolved = await post("sarah", `/conversations/${id}/resolve`);
    expect(resolved.body.status).toBe("resolved");
    expect(resolved.body.resolvedAt).not.toBeNull();
    expect((await post("john", `/conversations/${id}/rating`, { score: 6 })).status).toBe(400);
    const rated = await post("john", `/conversations/${id}/rating`, { score: 4, comment: "Quick and kind" });
    expect(rated.body).toMatchObject({ rating: 4, feedback: "Quick and kind" });
    expect((await post("john", `/conversations/${id}/rating`, { score: 1 })).status).toBe(409);
    expect((await post("jane", `/conversations/${id}/rating`, { score: 1 })).status).toBe(404);
    expect((await post("john", `/conversations/${id}/close`)).body.status).toBe("closed");
    const closedWrite = await t.api("POST", `/conversations/${id}/messages`, {
      token: tok.john,
      body: { body: "One more thing", clientId: "j-2" },
    });
    expect(closedWrite.status).toBe(409);
    const messages = await t.api("GET", `/conversations/${id}/messages?after=0`, { token: tok.john });
    const system = messages.body.items
      .filter((m: { sender: { type: string } }) => m.sender.type === "system")
      .map((m: { body: string }) => m.body);
    expect(system).toEqual([
      "Sarah Johnson joined the chat.",
      "Sarah Johnson is waiting for your reply.",
      "Sarah Johnson resolved the conversation.",
      "John Doe closed the conversation.",
    ]);
    const seqs = messages.body.items.map((m: { seq: number }) => m.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    const trail = await t.api("GET", `/audit-log?subjectId=${id}`, { token: tok.admin });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        "conversation.created",
        "conversation.picked_up",
        "conversation.pending",
        "conversation.resolved",
        "conversation.rated",
        "conversation.closed",
      ]),
    );
  });

  it("counts unread messages per person and clears them with a read mark", async () => {
    const chat = await post("jane", "/conversations", { subject: "Unread" });
    const id = chat.body.id;
    await post("sarah", `/conversations/${id}/assign`, { assigneeId: ids.sarah });
    for (let i = 0; i < 3; i++)
      await t.api("POST", `/conversations/${id}/messages`, {
        token: tok.sarah,
        body: { body: `Reply ${i}`, clientId: `s-u-${i}` },
      });
    await t.api("POST", `/conversations/${id}/messages`, {
      token: tok.sarah,
      body: { body: "note", clientId: "s-u-n", internal: true },
    });
    const janeView = await t.api("GET", `/conversations/${id}`, { token: tok.jane });
    // The automatic reply (nobody was online), the pickup notice and three replies; not the internal note.
    expect(janeView.body.unreadCount).toBe(5);
    const unreadList = await t.api("GET", "/conversations?unread=true", { token: tok.jane });
    expect(unreadList.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(
      (await t.api("POST", `/conversations/${id}/read`, { token: tok.jane, body: { seq: 999 } })).status,
    ).toBe(400);
    await t.api("POST", `/conversations/${id}/read`, {
      token: tok.jane,
      body: { seq: janeView.body.lastSeq },
    });
    expect((await t.api("GET", `/conversations/${id}`, { token: tok.jane })).body.unreadCount).toBe(0);
    expect(
      (await t.api("GET", "/conversations?unread=true", { token: tok.jane })).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).not.toContain(id);
  });

  it("staff start team channels and outbound chats; customers cannot; group observers only read", async () => {
    const team = await post("sarah", "/conversations", {
      kind: "team",
      subject: "Shift handover",
      participantIds: [ids.mike],
    });
    expect(team.status).toBe(201);
    expect((await post("john", "/conversations", { kind: "team", participantIds: [ids.jane] })).status).toBe(
      403,
    );
    expect((await post("sarah", "/conversations", { kind: "team", participantIds: [ids.john] })).status).toBe(
      400,
    );
    // Jane never sees a staff channel, whatever id she tries.
    expect((await t.api("GET", `/conversations/${team.body.id}`, { token: tok.jane })).status).toBe(404);

    const outbound = await post("sarah", "/conversations", {
      subject: "Your new card",
      participantIds: [ids.john],
      message: "Your card is ready",
    });
    expect(outbound.body).toMatchObject({
      status: "open",
      assignee: { id: ids.sarah },
      customer: { id: ids.john },
    });
    expect((await t.api("GET", `/conversations/${outbound.body.id}`, { token: tok.john })).status).toBe(200);
    expect((await post("sarah", "/conversations", { participantIds: [ids.marge] })).status).toBe(400);
    expect((await post("sarah", "/conversations", { participantIds: [ids.john, ids.jane] })).status).toBe(
      400,
    );

    expect(
      (await post("sarah", "/conversations", { kind: "group", participantIds: [ids.john] })).status,
    ).toBe(400);
    const group = await post("sarah", "/conversations", {
      kind: "group",
      contextId: "loan-7731",
      participantIds: [ids.john],
      observerIds: [ids.jane],
    });
    expect(group.status).toBe(201);
    const send = (who: string, n: number) =>
      t.api("POST", `/conversations/${group.body.id}/messages`, {
        token: tok[who],
        body: { body: `Group ${who}`, clientId: `g-${who}-${n}` },
      });
    expect((await send("john", 1)).status).toBe(201);
    expect((await send("jane", 1)).status).toBe(403);
    expect((await t.api("GET", `/conversations/${group.body.id}/messages`, { token: tok.jane })).status).toBe(
      200,
    );
    expect(
      (await post("john", `/conversations/${group.body.id}/escalate`, { reason: "No answer for a week" }))
        .body.status,
    ).toBe("escalated");
  });

  it("tenant-to-platform threads reach the super admins, not the agents", async () => {
    expect(
      (await post("sarah", "/conversations", { kind: "platform_support", subject: "Help" })).status,
    ).toBe(403);
    const thread = await post("admin", "/conversations", {
      kind: "platform_support",
      subject: "Our TURN server",
    });
    expect(thread.status).toBe(201);
    expect((await t.api("GET", `/conversations/${thread.body.id}`, { token: tok.sarah })).status).toBe(404);
    const root = await t.api("GET", `/conversations/${thread.body.id}`, {
      token: tok.root,
      headers: { "x-tenant": "acme" },
    });
    expect(root.status).toBe(200);
  });

  it("searches subjects and messages by word prefix, within what the caller may see", async () => {
    const chat = await post("john", "/conversations", {
      subject: "Mortgage",
      message: "Refinancing question about escrow",
    });
    const hits = await t.api("GET", "/conversations?q=escr", { token: tok.john });
    expect(hits.body.items.map((c: { id: string }) => c.id)).toEqual([chat.body.id]);
    expect((await t.api("GET", "/conversations?q=escrow", { token: tok.jane })).body.items).toEqual([]);
    expect(
      (await t.api("GET", "/conversations?q=mortg", { token: tok.lead })).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toContain(chat.body.id);
    expect((await t.api("GET", "/conversations?q=%26%7C!", { token: tok.john })).body.items).toEqual([]);
    expect((await t.api("GET", "/conversations?q=escrow", { token: tok.marge })).body.items).toEqual([]);
  });

  it("the staff list shows each agent's ongoing chats against their limit", async () => {
    const count = async () =>
      (await t.api("GET", "/staff", { token: tok.lead })).body.items.find(
        (s: { id: string }) => s.id === ids.mike,
      ).activeChats;
    const before = await count();
    const chat = await post("bob", "/conversations", { subject: "Load" });
    await post("mike", `/conversations/${chat.body.id}/assign`, { assigneeId: ids.mike });
    expect(await count()).toBe(before + 1);
    await post("mike", `/conversations/${chat.body.id}/resolve`);
    expect(await count()).toBe(before);
  });

  it("an @mention puts the conversation in the named colleague's Mentions view", async () => {
    const chat = await post("bob", "/conversations", { subject: "Wire transfer" });
    await post("sarah", `/conversations/${chat.body.id}/assign`, { assigneeId: ids.sarah });
    const mentionsOf = async (who: string) =>
      (await t.api("GET", "/conversations?view=mentions", { token: tok[who] })).body.items.map(
        (c: { id: string }) => c.id,
      );
    expect(await mentionsOf("mike")).not.toContain(chat.body.id);
    await t.api("POST", `/conversations/${chat.body.id}/messages`, {
      token: tok.sarah,
      body: {
        body: "@mike can you check the SWIFT code? cc @tom.baker and @nobody",
        clientId: "m-1",
        internal: true,
      },
    });
    expect(await mentionsOf("mike")).toContain(chat.body.id);
    expect(await mentionsOf("lead")).toContain(chat.body.id);
    expect(await mentionsOf("sarah")).not.toContain(chat.body.id);
    expect(await mentionsOf("bob")).toEqual([]);
    // A customer cannot mention staff into their Mentions view.
    await t.api("POST", `/conversations/${chat.body.id}/messages`, {
      token: tok.bob,
      body: { body: "@sarah hello?", clientId: "b-m" },
    });
    expect(await mentionsOf("sarah")).not.toContain(chat.body.id);
  });

  it("an agent finds a colleague with room and transfers the chat with a note only staff see", async () => {
    const chat = await post("jane", "/conversations", { subject: "Transfer me" });
    await post("sarah", `/conversations/${chat.body.id}/assign`, { assigneeId: ids.sarah });
    const colleagues = await t.api("GET", "/staff/colleagues", { token: tok.sarah });
    expect(colleagues.status).toBe(200);
    const mike = colleagues.body.items.find((s: { id: string }) => s.id === ids.mike);
    expect(mike.activeChats).toBeLessThan(mike.maxChats);
    expect((await t.api("GET", "/staff/colleagues", { token: tok.jane })).status).toBe(403);
    const moved = await post("sarah", `/conversations/${chat.body.id}/assign`, {
      assigneeId: ids.mike,
      note: "Mortgage expert",
    });
    expect(moved.body.assignee.id).toBe(ids.mike);
    const seen = await t.api("GET", `/conversations/${chat.body.id}/messages?after=0`, { token: tok.jane });
    expect(seen.body.items.map((m: { body: string }) => m.body)).toContain(
      "The chat was transferred to Mike Chen.",
    );
    expect(seen.body.items.some((m: { body: string }) => m.body.includes("Mortgage expert"))).toBe(false);
  });

  it("pages through conversations with a cursor and refuses bad filters", async () => {
    const first = await t.api("GET", "/conversations?limit=2", { token: tok.lead });
    expect(first.body.items).toHaveLength(2);
    const second = await t.api("GET", `/conversations?limit=2&cursor=${first.body.nextCursor}`, {
      token: tok.lead,
    });
    const seen = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(new Set(seen).size).toBe(4);
    expect((await t.api("GET", "/conversations?cursor=forged", { token: tok.lead })).status).toBe(400);
    expect((await t.api("GET", "/conversations?status=lost", { token: tok.lead })).status).toBe(400);
    expect((await t.api("GET", "/conversations/not-an-id", { token: tok.lead })).status).toBe(400);
    expect((await t.api("GET", "/conversations?limit=500", { token: tok.lead })).status).toBe(400);
  });
});
