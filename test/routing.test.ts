import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";
import { connectSocket, next } from "./helpers/socket";

/** Queued and assigned chats of the tenant as the database holds them, for invariants. */
async function snapshot(t: TestApp) {
  const result = (await t.database.db.execute(sql`
    select c.id, c.number, c.status, c.assignee_id, u.max_chats
    from conversations c left join users u on u.id = c.assignee_id
    join tenants tn on tn.id = c.tenant_id
    where tn.slug = 'acme' and c.kind = 'support'`)) as unknown as {
    rows: Array<{
      id: string;
      number: number;
      status: string;
      assignee_id: string | null;
      max_chats: number;
    }>;
  };
  const open = result.rows.filter(
    (r) => ["open", "pending", "escalated"].includes(r.status) && r.assignee_id,
  );
  const load = new Map<string, number>();
  for (const r of open) load.set(r.assignee_id!, (load.get(r.assignee_id!) ?? 0) + 1);
  return { rows: result.rows, open, load, queued: result.rows.filter((r) => r.status === "queued") };
}

describe("routing: automatic assignment within capacity, the queue, staff actions", () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const agents: Array<{ id: string; token: string; email: string }> = [];
  const customers: string[] = [];

  const call = (token: string, method: string, path: string, body?: unknown) =>
    t.api(method, path, { token, body });
  const start = (token: string, subject: string) =>
    call(token, "POST", "/conversations", { subject, message: `About ${subject}` });
  const setAvailability = (token: string, status: string, until?: string) =>
    call(token, "PATCH", "/me/availability", until ? { status, until } : { status });

  beforeAll(async () => {
    t = await createTestApp();
    for (const [who, email] of [
      ["admin", "admin@acme.test"],
      ["lead", "lead@acme.test"],
      ["sarah", "sarah@acme.test"],
      ["mike", "mike@acme.test"],
      ["john", "john@acme.test"],
    ] as const) {
      tok[who] = await t.login(email, "acme");
      ids[who] = (await t.api("GET", "/me", { token: tok[who] })).body.user.id;
    }
    tok.marge = await t.login("marge@globex.test", "globex");
    ids.marge = (await t.api("GET", "/me", { token: tok.marge })).body.user.id;
    // Ten agents with room for five chats each, and twenty customers.
    for (let i = 1; i <= 10; i++) {
      const email = `agent${i}@acme.test`;
      const made = await call(tok.admin!, "POST", "/staff", {
        email,
        name: `Agent ${i}`,
        role: "agent",
        password: "agent-password-1",
        maxChats: 5,
      });
      expect(made.status).toBe(201);
      agents.push({ id: made.body.user?.id ?? made.body.id, email, token: "" });
    }
    for (const a of agents) a.token = await t.login(a.email, "acme", "agent-password-1");
    for (let i = 1; i <= 20; i++) {
      const res = await t.api("POST", "/auth/signup", {
        body: {
          tenant: "acme",
          email: `client${i}@acme.test`,
          name: `Client ${i}`,
          password: "client-password-1",
        },
      });
      expect(res.status).toBe(201);
      customers.push(res.body.token);
    }
  });
  afterAll(() => t.close());

  it("queues a chat nobody can take, with an automatic reply, and gives it to the first agent who comes online", async () => {
    const chat = await start(customers[0]!, "Nobody online");
    expect(chat.status).toBe(201);
    expect(chat.body).toMatchObject({ status: "queued", assignee: null });
    expect(chat.body.queuePosition).toMatchObject({ position: 1, expectedWaitSeconds: null });
    const messages = await call(customers[0]!, "GET", `/conversations/${chat.body.id}/messages`);
    expect(messages.body.items.map((m: { sender: { type: string } }) => m.sender.type)).toEqual([
      "customer",
      "bot",
    ]);
    expect(messages.body.items[1].body).toMatch(/Nobody is available right now/);

    expect((await setAvailability(agents[0]!.token, "online")).status).toBe(200);
    const after = await call(customers[0]!, "GET", `/conversations/${chat.body.id}`);
    expect(after.body).toMatchObject({
      status: "open",
      assignee: { id: agents[0]!.id },
      queuePosition: null,
    });
    const trail = await call(tok.admin!, "GET", `/audit-log?subjectId=${chat.body.id}`);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toContain("conversation.routed");
    // Back to a clean slate for the next case.
    expect((await call(agents[0]!.token, "POST", `/conversations/${chat.body.id}/resolve`)).status).toBe(200);
    await setAvailability(agents[0]!.token, "offline");
  });

  it("gives each new chat to the agent with the fewest open chats, ties to whoever waited longest", async () => {
    const [a, b] = agents as [(typeof agents)[0], (typeof agents)[0]];
    await setAvailability(a.token, "online");
    await setAvailability(b.token, "online");
    // Agent 1 had a chat a moment ago; agent 2 never: the tie goes to agent 2.
    const first = await start(customers[1]!, "Tie");
    expect(first.body.assignee.id).toBe(b.id);
    const second = await start(customers[2]!, "Fewest");
    expect(second.body.assignee.id).toBe(a.id);
    const third = await start(customers[3]!, "Tie again");
    // Both hold one; agent 2 was given one first, so has waited longer.
    expect(third.body.assignee.id).toBe(b.id);
    for (const c of [first, second, third]) {
      const holder = c.body.assignee.id === a.id ? a : b;
      await call(holder.token, "POST", `/conversations/${c.body.id}/resolve`);
    }
    await setAvailability(a.token, "offline");
    await setAvailability(b.token, "offline");
  });

  it("hands 200 simultaneous chats to 10 agents with room for 5: exactly 50 assigned, 150 queued in order, nobody over", async () => {
    for (const a of agents) expect((await setAvailability(a.token, "online")).status).toBe(200);
    const started = await Promise.all(
      Array.from({ length: 200 }, (_, i) => start(customers[i % customers.length]!, `Rush ${i}`)),
    );
    expect(started.every((r) => r.status === 201)).toBe(true);
    const state = await snapshot(t);
    expect(state.open).toHaveLength(50);
    expect(state.queued).toHaveLength(150);
    for (const a of agents) expect(state.load.get(a.id)).toBe(5);
    const queue = await call(tok.lead!, "GET", "/queue?limit=500");
    expect(queue.status).toBe(200);
    expect(queue.body.total).toBe(150);
    expect(queue.body.chats.map((c: { position: number }) => c.position)).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    const waitedSince = queue.body.chats.map((c: { queuedAt: string }) => Date.parse(c.queuedAt));
    expect(waitedSince).toEqual([...waitedSince].sort((x: number, y: number) => x - y));
    // Everyone is busy, so a waiting customer has an estimate that grows with the position.
    const [head, tail] = [queue.body.chats[0], queue.body.chats[149]];
    expect(head.expectedWaitSeconds).toBeGreaterThan(0);
    expect(tail.expectedWaitSeconds).toBeGreaterThan(head.expectedWaitSeconds);
  });

  it("refills freed room while more chats arrive, never over capacity and never one chat to two agents", async () => {
    const before = await snapshot(t);
    const toResolve = before.open.slice(0, 20);
    const tokenOf = new Map(agents.map((a) => [a.id, a.token]));
    const results = await Promise.all([
      ...toResolve.map((c) => call(tokenOf.get(c.assignee_id!)!, "POST", `/conversations/${c.id}/resolve`)),
      ...Array.from({ length: 40 }, (_, i) => start(customers[i % customers.length]!, `Second wave ${i}`)),
    ]);
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    const after = await snapshot(t);
    expect(after.open).toHaveLength(50);
    for (const a of agents) expect(after.load.get(a.id)).toBe(5);
    expect(after.queued).toHaveLength(150 - 20 + 40);
    // Freed places went to the head of the queue: every chat that was waiting longest got one.
    const firstWaiting = before.queued.map((q) => q.id);
    const nowOpen = new Set(after.open.map((c) => c.id));
    expect(firstWaiting.filter((id) => nowOpen.has(id)).length).toBeGreaterThanOrEqual(20);
    // Each assignment is recorded once: no chat was given twice.
    const routed = (await t.database.db.execute(
      sql`select subject_id, count(*)::int as n from activity where action = 'conversation.routed' group by subject_id having count(*) > 1`,
    )) as unknown as { rows: unknown[] };
    expect(routed.rows).toEqual([]);
  });

  it("shows the queue live: the waiting customer's place and the staff's queue change as the head is served", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const queue = await call(tok.lead!, "GET", "/queue?limit=500");
    const last = queue.body.chats.at(-1);
    // The customer of the last chat in line, and a team lead, each on a socket.
    const whose = (await call(tok.admin!, "GET", `/conversations/${last.conversationId}`)).body.customer;
    const customerToken = await (async () => {
      for (const c of customers) {
        const me = await t.api("GET", "/me", { token: c });
        if (me.body.user.id === whose.id) return c;
      }
      throw new Error("customer not found");
    })();
    const customerSocket = await connectSocket(url, { token: customerToken });
    const leadSocket = await connectSocket(url, { token: tok.lead! });
    try {
      const moved = next(
        customerSocket,
        "queue:position",
        (p) =>
          "conversationId" in p && p.conversationId === last.conversationId && p.position < last.position,
      );
      const staffView = next(leadSocket, "queue:updated", (q) => q.total < queue.body.total);
      // An agent resolves a chat: their place goes to the head of the queue and everyone behind moves up.
      const state = await snapshot(t);
      const held = state.open[0]!;
      const agent = agents.find((a) => a.id === held.assignee_id)!;
      expect((await call(agent.token, "POST", `/conversations/${held.id}/resolve`)).status).toBe(200);
      expect((await moved).position).toBe(last.position - 1);
      expect((await staffView).total).toBe(queue.body.total - 1);
    } finally {
      customerSocket.close();
      leadSocket.close();
    }
  });
});
