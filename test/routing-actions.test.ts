import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";
import { type ClientSocket, connectSocket, next } from "./helpers/socket";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds, for what a background sweep does; fails after `ms`. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await sleep(100);
  }
}

describe("routing: staff actions, availability, business hours, first-response target, escalation", () => {
  let t: TestApp;
  let url: string;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const sockets: ClientSocket[] = [];

  const call = (who: string, method: string, path: string, body?: unknown) =>
    t.api(method, path, { token: tok[who], body });
  const start = async (who: string, subject: string) => {
    const res = await call(who, "POST", "/conversations", { subject, message: `About ${subject}` });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; assignee: { id: string } | null; number: number };
  };
  const conversation = async (id: string) => (await call("admin", "GET", `/conversations/${id}`)).body;
  const availability = async (who: string) => (await call(who, "GET", "/me")).body.user.availability;
  const settings = (body: unknown) => call("admin", "PATCH", "/settings", body);

  beforeAll(async () => {
    t = await createTestApp({ env: { ROUTING_SWEEP_SECONDS: "1" } });
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    t.app.deps.config.publicUrl = url;
    for (const [who, email, tenant] of [
      ["admin", "admin@acme.test", "acme"],
      ["supervisor", "supervisor@acme.test", "acme"],
      ["lead", "lead@acme.test", "acme"],
      ["sarah", "sarah@acme.test", "acme"],
      ["mike", "mike@acme.test", "acme"],
      ["john", "john@acme.test", "acme"],
      ["jane", "jane@acme.test", "acme"],
      ["bob", "bob@acme.test", "acme"],
      ["homer", "homer@globex.test", "globex"],
      ["hank", "admin@globex.test", "globex"],
    ] as const) {
      tok[who] = await t.login(email, tenant);
      ids[who] = (await t.api("GET", "/me", { token: tok[who] })).body.user.id;
    }
  });
  // Each case starts with every staff member offline, as people are at the start of a day.
  beforeEach(async () => {
    await t.database.db.execute(
      sql`update users set availability = 'offline', auto_away = false where role <> 'customer'`,
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it("transfers a chat into a team's queue with a note only staff see, and routing gives it to that team only", async () => {
    const nora = await call("admin", "POST", "/staff", {
      email: "nora@acme.test",
      name: "Nora Quinn",
      role: "agent",
      password: "agent-password-1",
    });
    expect(nora.status).toBe(201);
    tok.nora = await t.login("nora@acme.test", "acme", "agent-password-1");
    ids.nora = (await call("nora", "GET", "/me")).body.user.id;
    const team = await call("admin", "POST", "/teams", { name: "Cards", memberIds: [ids.mike] });
    expect(team.status).toBe(201);

    const chat = await start("john", "Disputed payment");
    expect(chat.status).toBe("queued");
    expect(
      (await call("sarah", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.sarah })).status,
    ).toBe(200);
    // Nora is online with room but not in Cards; Mike is in Cards but offline.
    await call("nora", "PATCH", "/me/availability", { status: "online" });
    const moved = await call("sarah", "POST", `/conversations/${chat.id}/assign`, {
      teamId: team.body.id,
      note: "Card 4111 1111 1111 1111 disputed, Cards should check the merchant",
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: "queued", teamId: team.body.id, assignee: null });

    const seenByCustomer = (await call("john", "GET", `/conversations/${chat.id}/messages`)).body.items;
    expect(seenByCustomer.at(-1)).toMatchObject({
      sender: { type: "system" },
      body: "The chat was transferred to the Cards team.",
    });
    expect(seenByCustomer.some((m: { internal: boolean }) => m.internal)).toBe(false);
    const seenByStaff = (await call("sarah", "GET", `/conversations/${chat.id}/messages`)).body.items;
    expect(seenByStaff.at(-1)).toMatchObject({
      internal: true,
      body: expect.stringContaining("4111 11•• •••• 1111"),
    });

    await call("mike", "PATCH", "/me/availability", { status: "online" });
    expect(await conversation(chat.id)).toMatchObject({ status: "open", assignee: { id: ids.mike } });
    await call("nora", "PATCH", "/me/availability", { status: "offline" });
  });

  it("refuses transfers to someone without room, to another tenant's people or teams, and malformed ones, changing nothing", async () => {
    const chat = await start("jane", "Limits");
    await call("sarah", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.sarah });
    expect((await call("admin", "PATCH", `/staff/${ids.mike}`, { maxChats: 1 })).status).toBe(200);
    const full = await call("sarah", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.mike });
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/Mike Chen has no room for another chat \(1 of 1\)/);
    const foreign = await call("sarah", "POST", `/conversations/${chat.id}/assign`, {
      assigneeId: ids.homer,
    });
    expect(foreign.status).toBe(400);
    const globexTeam = await call("hank", "POST", "/teams", { name: "Globex Cards" });
    const foreignTeam = await call("sarah", "POST", `/conversations/${chat.id}/assign`, {
      teamId: globexTeam.body.id,
    });
    expect(foreignTeam.status).toBe(400);
    for (const body of [{}, { assigneeId: ids.mike, teamId: globexTeam.body.id }, { assigneeId: "nope" }]) {
      expect((await call("sarah", "POST", `/conversations/${chat.id}/assign`, body)).status).toBe(400);
    }
    expect(await conversation(chat.id)).toMatchObject({ status: "open", assignee: { id: ids.sarah } });
    expect((await call("john", "GET", "/queue")).status).toBe(403);
    await call("admin", "PATCH", `/staff/${ids.mike}`, { maxChats: 5 });
  });

  it("in manual mode chats wait for a pickup; of two agents picking up at once, one gets it and the other a 409", async () => {
    expect((await settings({ autoAssignment: false })).status).toBe(200);
    await call("sarah", "PATCH", "/me/availability", { status: "online" });
    const chat = await start("bob", "Manual pickup");
    expect(chat.status).toBe("queued");
    const [a, b] = await Promise.all([
      call("sarah", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.sarah }),
      call("mike", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.mike }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.message).toBe("Someone else has already taken this chat.");
    // A team lead's pickup is a pickup too: it does not quietly take the chat from whoever won.
    const lead = await call("lead", "POST", `/conversations/${chat.id}/assign`, {
      assigneeId: ids.lead,
      pickup: true,
    });
    expect(lead.status).toBe(409);
    const winner = a.status === 200 ? ids.sarah : ids.mike;
    expect(await conversation(chat.id)).toMatchObject({
      assignee: { id: winner },
      assignedAt: expect.any(String),
    });
    const waiting = await start("bob", "Waits for auto mode");
    expect(waiting.status).toBe("queued");
    // Turning automatic assignment back on hands out what waits.
    await settings({ autoAssignment: true });
    expect((await conversation(waiting.id)).status).toBe("open");
    await call("sarah", "PATCH", "/me/availability", { status: "offline" });
    await call("mike", "PATCH", "/me/availability", { status: "offline" });
  });

  it("refuses breaks in the past; a break a team lead sets ends by itself and the agent takes the waiting chat", async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(
      (await call("sarah", "PATCH", "/me/availability", { status: "on_break", until: past })).status,
    ).toBe(400);
    const late = new Date(Date.now() + 25 * 3600_000).toISOString();
    expect(
      (await call("sarah", "PATCH", "/me/availability", { status: "on_break", until: late })).status,
    ).toBe(400);
    expect(await availability("sarah")).toBe("offline");

    const until = new Date(Date.now() + 1500).toISOString();
    const put = await call("lead", "PATCH", `/staff/${ids.sarah}`, {
      availability: { status: "on_break", until },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ availability: "on_break", availabilityUntil: until });
    expect((await call("sarah", "GET", "/me")).body.user).toMatchObject({ availabilityUntil: until });
    const chat = await start("jane", "After the break");
    expect(chat.status).toBe("queued");
    const back = await eventually(
      () => conversation(chat.id),
      (c) => c.status === "open",
    );
    expect(back).toMatchObject({ status: "open", assignee: { id: ids.sarah } });
    expect(await availability("sarah")).toBe("online");
    await call("sarah", "POST", `/conversations/${chat.id}/resolve`);
    await call("sarah", "PATCH", "/me/availability", { status: "offline" });
  });

  it("outside business hours a new chat gets an automatic reply saying when support opens", async () => {
    const closedAllWeek = {
      timezone: "UTC",
      days: {
        mon: null,
        tue: null,
        wed: null,
        thu: null,
        fri: null,
        sat: null,
        sun: { open: "00:00", close: "00:01" },
      },
    };
    const now = new Date();
    // Open one minute on Sundays, never now (unless it is that minute).
    if (now.getUTCDay() === 0 && now.getUTCHours() === 0 && now.getUTCMinutes() === 0) await sleep(61_000);
    expect((await settings({ businessHours: closedAllWeek })).status).toBe(200);
    const chat = await start("john", "At night");
    const messages = (await call("john", "GET", `/conversations/${chat.id}/messages`)).body.items;
    expect(messages.at(-1)).toMatchObject({ sender: { type: "bot" } });
    expect(messages.at(-1).body).toMatch(
      /We are closed right now and open again (Sunday|tomorrow|today) at 00:00 \(UTC\)/,
    );
    await settings({ businessHours: null });
    await call("admin", "POST", `/conversations/${chat.id}/close`);
  });

  it("flags a chat past the first-response target, moves it to the front and tells the team lead", async () => {
    expect((await settings({ firstResponseTargetSeconds: 10 })).status).toBe(200);
    const lead = await connectSocket(url, { token: tok.lead! });
    sockets.push(lead);
    const early = await start("jane", "Urgent first");
    const late = await start("bob", "Waiting too long");
    await t.database.db.execute(
      sql`update conversations set priority = 'high', queued_at = now() - interval '5 seconds' where id = ${early.id}`,
    );
    const before = await call("lead", "GET", "/queue");
    expect(
      before.body.chats.findIndex((c: { conversationId: string }) => c.conversationId === early.id),
    ).toBeLessThan(
      before.body.chats.findIndex((c: { conversationId: string }) => c.conversationId === late.id),
    );
    const told = next(
      lead,
      "notification",
      (n) => n.kind === "conversation.response_overdue" && n.link.endsWith(late.id),
    );
    await t.database.db.execute(
      sql`update conversations set queued_at = now() - interval '60 seconds' where id = ${late.id}`,
    );
    expect((await told).title).toMatch(new RegExp(`Chat #${late.number} has waited 1 min`));
    const after = await call("lead", "GET", "/queue");
    expect(after.body.chats[0]).toMatchObject({ conversationId: late.id, overdue: true, position: 1 });
    await settings({ firstResponseTargetSeconds: 120 });
    for (const c of [early, late]) await call("admin", "POST", `/conversations/${c.id}/close`);
  });

  it("an online agent whose last tab closes becomes away after the grace period, and online again on return", async () => {
    await call("mike", "PATCH", "/me/availability", { status: "online" });
    const tab = await connectSocket(url, { token: tok.mike! });
    tab.close();
    const away = await eventually(
      () => availability("mike"),
      (a) => a === "away",
    );
    expect(away).toBe("away");
    const back = await connectSocket(url, { token: tok.mike! });
    sockets.push(back);
    expect(
      await eventually(
        () => availability("mike"),
        (a) => a === "online",
      ),
    ).toBe("online");
    // Away by choice stays away when they reconnect.
    await call("mike", "PATCH", "/me/availability", { status: "away" });
    back.close();
    const again = await connectSocket(url, { token: tok.mike! });
    sockets.push(again);
    await sleep(300);
    expect(await availability("mike")).toBe("away");
    await call("mike", "PATCH", "/me/availability", { status: "offline" });
  });

  it("deactivating an agent returns their chats to the queue, where a colleague with room takes them", async () => {
    const made = await call("admin", "POST", "/staff", {
      email: "leaving@acme.test",
      name: "Lee Leaving",
      role: "agent",
      password: "agent-password-1",
    });
    const leaverId = made.body.user?.id ?? made.body.id;
    tok.leaver = await t.login("leaving@acme.test", "acme", "agent-password-1");
    await call("leaver", "PATCH", "/me/availability", { status: "online" });
    const chat = await start("john", "Handover");
    expect(chat.assignee?.id).toBe(leaverId);
    await call("sarah", "PATCH", "/me/availability", { status: "online" });
    expect((await call("admin", "DELETE", `/staff/${leaverId}`)).status).toBe(200);
    expect(await conversation(chat.id)).toMatchObject({ status: "open", assignee: { id: ids.sarah } });
    await call("sarah", "POST", `/conversations/${chat.id}/resolve`);
    await call("sarah", "PATCH", "/me/availability", { status: "offline" });
  });

  it("an escalation reaches supervisors and admins live and by email; a platform thread's reaches the super admins", async () => {
    const admin = await connectSocket(url, { token: tok.admin! });
    sockets.push(admin);
    const chat = await start("jane", "Escalate me");
    const live = next(admin, "notification", (n) => n.kind === "conversation.escalated");
    const res = await call("lead", "POST", `/conversations/${chat.id}/escalate`, {
      reason: "Customer threatens to leave",
    });
    expect(res.status).toBe(200);
    expect((await live).body).toMatch(
      /Tom Baker escalated conversation #\d+ \(Escalate me\): Customer threatens to leave/,
    );
    const mails = (await t.database.db.execute(
      sql`select recipient, subject, body from outbox where kind = 'conversation.escalated' and metadata ->> 'conversationId' = ${chat.id}`,
    )) as unknown as { rows: Array<{ recipient: string; subject: string; body: string }> };
    expect(mails.rows.map((m) => m.recipient).sort()).toEqual(["admin@acme.test", "supervisor@acme.test"]);
    expect(mails.rows[0]!.body).toContain(`${url}/console/conversations/${chat.id}`);

    const platform = await call("admin", "POST", "/conversations", {
      kind: "platform_support",
      subject: "Help us",
    });
    expect(platform.status).toBe(201);
    expect(
      (await call("admin", "POST", `/conversations/${platform.body.id}/escalate`, { reason: "Outage" }))
        .status,
    ).toBe(200);
    const platformMail = await eventually(
      async () =>
        (
          (await t.database.db.execute(
            sql`select recipient, tenant_id from outbox where kind = 'conversation.escalated' and metadata ->> 'conversationId' = ${platform.body.id}`,
          )) as unknown as { rows: Array<{ recipient: string; tenant_id: string | null }> }
        ).rows,
      (rows) => rows.length > 0,
    );
    expect(platformMail).toEqual([{ recipient: "root@switchboard.test", tenant_id: null }]);
  });
});
