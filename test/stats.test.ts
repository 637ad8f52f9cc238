import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";

const minute = 60_000;

describe("GET /stats", () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;
  let lead: string;
  let sarah: string;
  let mike: string;
  let john: string;
  let jane: string;
  let bob: string;
  let globexAdmin: string;
  let root: string;

  const stats = async (token: string, headers: Record<string, string> = {}) => {
    const res = await t.api("GET", "/stats", { token, headers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const ok = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await t.api(method, path, { token, body: body ?? (method === "GET" ? undefined : {}) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const chat = (token: string, subject: string) =>
    ok("POST", "/conversations", token, { subject, message: `About ${subject}` });
  const ticket = (token: string, subject: string, priority: string) =>
    ok("POST", "/tickets", token, {
      subject,
      description: `Details of ${subject}.`,
      category: "general",
      priority,
    });
  const say = (token: string, conversationId: string, body: string) =>
    ok("POST", `/conversations/${conversationId}/messages`, token, { body, clientId: crypto.randomUUID() });
  const exec = (query: ReturnType<typeof sql>) => t.database.db.execute(query);
  const at = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    supervisor = await t.login("supervisor@acme.test");
    lead = await t.login("lead@acme.test");
    sarah = await t.login("sarah@acme.test");
    mike = await t.login("mike@acme.test");
    john = await t.login("john@acme.test");
    jane = await t.login("jane@acme.test");
    bob = await t.login("bob@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
    root = await t.login("root@switchboard.test", null);
  });
  afterAll(() => t.close());

  it("a tenant without chats or tickets has zeros and no averages", async () => {
    expect(await stats(admin)).toMatchObject({
      openConversations: 0,
      queuedChats: 0,
      queuedCalls: 0,
      activeCalls: 0,
      openTickets: 0,
      inProgressTickets: 0,
      urgentTickets: 0,
      avgFirstResponseSeconds: null,
      avgResolutionSeconds: null,
      avgRating: null,
      ratingsCount: 0,
      staffOnline: 0,
      staffUtilisation: null,
      windowDays: 30,
    });
  });

  it("counts what is open, queued, urgent and recent, and averages the last 30 days exactly", async () => {
    const now = Date.now();
    // Two agents online with room for 5 each; an admin online is not someone chats are routed to.
    for (const token of [sarah, mike, admin])
      await ok("PATCH", "/me/availability", token, { status: "online" });
    const a = await chat(john, "Card blocked");
    const b = await chat(jane, "Statement missing");
    const c = await chat(bob, "Address change");
    expect([a, b, c].every((x) => x.status === "open" && x.assignee)).toBe(true);
    await ok("PATCH", "/settings", admin, { autoAssignment: false });
    const queued = await chat(john, "Second question");
    expect(queued.status).toBe("queued");

    // Chat a: answered after 60 s, resolved after 10 minutes, rated 4.
    const sarahId = (await ok("GET", "/me", sarah)).user.id;
    const holder = (conversation: { assignee: { id: string } }) =>
      conversation.assignee.id === sarahId ? sarah : mike;
    const holderOfA = holder(a);
    await say(holderOfA, a.id, "Let me check that for you.");
    await ok("POST", `/conversations/${a.id}/resolve`, holderOfA);
    await ok("POST", `/conversations/${a.id}/rating`, john, { score: 4 });
    await exec(sql`update conversations set created_at = ${at(now - 2 * 60 * minute)},
      first_response_at = ${at(now - 119 * minute)}, resolved_at = ${at(now - 110 * minute)} where id = ${a.id}`);
    // Chat b waits on the customer: still held, still open work.
    await ok("POST", `/conversations/${b.id}/pending`, holder(b));

    // Tickets: t1 answered after 2 minutes; t2 urgent, in progress; t3 high, resolved after 50 minutes and rated
    // 2; t4 urgent but archived; t5 resolved and rated 5 forty days ago, outside the window.
    const t1 = await ticket(john, "Fees question", "medium");
    await say(sarah, t1.conversationId, "The fee is 2 %.");
    await exec(
      sql`update tickets set created_at = first_response_at - interval '120 seconds' where id = ${t1.id}`,
    );
    const t2 = await ticket(jane, "Fraud on my account", "urgent");
    await ok("PATCH", `/tickets/${t2.id}`, sarah, { status: "in_progress" });
    const t3 = await ticket(bob, "Lost card", "high");
    await ok("PATCH", `/tickets/${t3.id}`, sarah, { status: "resolved" });
    await ok("POST", `/tickets/${t3.id}/rating`, bob, { score: 2 });
    await exec(
      sql`update tickets set created_at = resolved_at - interval '3000 seconds' where id = ${t3.id}`,
    );
    const t4 = await ticket(jane, "Old complaint", "urgent");
    await exec(sql`update tickets set archived_at = now() where id = ${t4.id}`);
    const t5 = await ticket(john, "Last month's issue", "low");
    await ok("PATCH", `/tickets/${t5.id}`, sarah, { status: "resolved" });
    await ok("POST", `/tickets/${t5.id}/rating`, john, { score: 5 });
    await exec(sql`update tickets set created_at = now() - interval '40 days',
      resolved_at = now() - interval '39 days' where id = ${t5.id}`);
    for (const id of [t2.id, t3.id])
      expect((await ok("GET", `/tickets/${id}`, sarah)).firstResponseAt).toBeNull();

    // Globex's work never shows in acme's figures.
    const marge = await t.login("marge@globex.test", "globex");
    await ok("POST", "/conversations", marge, { subject: "Globex chat", message: "Hello" });
    await ok("POST", "/tickets", marge, {
      subject: "Globex ticket",
      description: "Something at Globex.",
      category: "general",
      priority: "urgent",
    });

    const s = await stats(lead);
    expect(s).toMatchObject({
      openConversations: 2,
      queuedChats: 1,
      queuedCalls: 0,
      openTickets: 1,
      inProgressTickets: 1,
      urgentTickets: 1,
      highTickets: 0,
      ticketsByStatus: {
        open: 1,
        in_progress: 1,
        waiting_on_customer: 0,
        waiting_on_admin: 0,
        resolved: 2,
        closed: 0,
        escalated: 0,
      },
      // (60 s for chat a + 120 s for t1) / 2; (600 s + 3000 s) / 2; (4 + 2) / 2.
      avgFirstResponseSeconds: 90,
      avgResolutionSeconds: 1800,
      avgRating: 3,
      ratingsCount: 2,
      staffOnline: 2,
      // Chats b and c held by the two online agents, who may hold 10 together.
      staffUtilisation: 0.2,
    });
    expect(Date.parse(s.generatedAt)).toBeGreaterThanOrEqual(now);
  });

  it("activity counts trail entries about tickets and chats in the last 24 hours and 7 days", async () => {
    const tickets = (await ok("GET", "/tickets?limit=50", admin)).items as Array<{
      id: string;
      subject: string;
    }>;
    const fees = tickets.find((x) => x.subject === "Fees question")!;
    const fraud = tickets.find((x) => x.subject === "Fraud on my account")!;
    const trailOf = async (id: string) => (await ok("GET", `/tickets/${id}/activity`, admin)).items.length;
    // Everything of acme's trail to 10 days ago, one ticket's entries to 3 days ago, people's to an hour ago.
    await exec(sql`update activity set created_at = now() - interval '10 days'
      where tenant_id = (select id from tenants where slug = 'acme')`);
    await exec(sql`update activity set created_at = now() - interval '3 days' where subject_id = ${fees.id}`);
    await exec(sql`update activity set created_at = now() - interval '1 hour'
      where subject_type = 'user' and tenant_id = (select id from tenants where slug = 'acme')`);
    const before = await trailOf(fraud.id);
    await ok("PATCH", `/tickets/${fraud.id}`, admin, { priority: "high" });
    expect(await trailOf(fraud.id)).toBe(before + 1);

    const s = await stats(admin);
    expect(s.activity24h).toBe(1);
    expect(s.activity7d).toBe((await trailOf(fees.id)) + 1);
    expect(s).toMatchObject({ urgentTickets: 0, highTickets: 1 });
  });

  it("staff online and utilisation follow availability", async () => {
    await ok("PATCH", "/me/availability", mike, { status: "offline" });
    const s = await stats(admin);
    const held = (await ok("GET", "/staff?limit=200", admin)).items.find(
      (p: { email: string }) => p.email === "sarah@acme.test",
    ).activeChats;
    expect(s.staffOnline).toBe(1);
    expect(s.staffUtilisation).toBe(held / 5);
    await ok("PATCH", "/me/availability", sarah, { status: "on_break" });
    expect(await stats(admin)).toMatchObject({ staffOnline: 0, staffUtilisation: null });
  });

  it("counts the calls waiting (queued or ringing) and those going on, in the tenant only", async () => {
    expect(await stats(admin)).toMatchObject({ queuedCalls: 0, activeCalls: 0 });
    // Nobody is online to take it: john's call waits in the queue.
    const dialled = await ok("POST", "/calls", john);
    expect(dialled.status).toBe("queued");
    const tenantOf = (slug: string) => sql`(select id from tenants where slug = ${slug})`;
    const put = (slug: string, status: string) =>
      exec(sql`insert into calls (tenant_id, status, queued_at, ended_at)
        values (${tenantOf(slug)}, ${status}, now(), ${["completed", "missed", "abandoned", "failed"].includes(status) ? sql`now()` : null})`);
    for (const status of [
      "queued",
      "ringing",
      "active",
      "active",
      "completed",
      "missed",
      "abandoned",
      "failed",
    ])
      await put("acme", status);
    for (const status of ["queued", "active"]) await put("globex", status);
    expect(await stats(lead)).toMatchObject({ queuedCalls: 3, activeCalls: 2 });
    expect(await stats(globexAdmin)).toMatchObject({ queuedCalls: 1, activeCalls: 1 });
    await ok("POST", `/calls/${dialled.id}/end`, john);
    expect(await stats(admin)).toMatchObject({ queuedCalls: 2, activeCalls: 2 });
    await exec(sql`delete from calls`);
  });

  it("is for team leads and above, in their own tenant", async () => {
    for (const token of [lead, supervisor, admin]) await stats(token);
    for (const token of [sarah, john]) {
      const res = await t.api("GET", "/stats", { token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    expect((await t.api("GET", "/stats")).status).toBe(401);
    expect((await t.api("GET", "/stats?days=7", { token: admin })).status).toBe(400);

    const globex = await stats(globexAdmin);
    expect(globex).toMatchObject({ queuedChats: 1, openConversations: 0, openTickets: 1, urgentTickets: 1 });
    expect(globex.activity24h).toBeGreaterThan(0);
    // A super admin names the tenant; without one there is nothing to count.
    expect(await stats(root, { "x-tenant": "globex" })).toMatchObject({ queuedChats: 1, openTickets: 1 });
    expect((await t.api("GET", "/stats", { token: root })).status).toBe(400);
  });
});
