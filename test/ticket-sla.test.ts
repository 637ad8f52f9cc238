import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../src/server/db/schema";
import { sweepTicketBreaches } from "../src/server/modules/tickets/ticket-breaches";
import { createTestApp, type TestApp } from "./helpers/app";
import { type ClientSocket, connectSocket, next, record } from "./helpers/socket";

const minute = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Entry {
  type: string;
  actor: { type: string; id: string | null };
  oldValue: unknown;
  newValue: Record<string, unknown> | null;
}

describe("ticket service levels: due times, the pause, breaches", () => {
  let t: TestApp;
  let url: string;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const sockets: ClientSocket[] = [];
  let n = 0;

  const call = (who: string, method: string, path: string, body?: unknown) =>
    t.api(method, path, { token: tok[who], body });
  const open = async (who = "john", extra: Record<string, unknown> = {}) => {
    const res = await call(who, "POST", "/tickets", {
      subject: `Service level case ${++n}`,
      description: "Something needs looking at, please.",
      category: "technical",
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const ticket = async (id: string) => (await call("admin", "GET", `/tickets/${id}`)).body;
  const patch = async (who: string, id: string, body: unknown) => {
    const res = await call(who, "PATCH", `/tickets/${id}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const trail = async (id: string): Promise<Entry[]> =>
    (await call("admin", "GET", `/tickets/${id}/activity`)).body.items;
  const offset = (a: string, b: string) => new Date(a).getTime() - new Date(b).getTime();
  /** Moves the ticket's due times into the past, as if the time had gone by. */
  const overdue = (id: string, column: "first_response_due_at" | "sla_due_at") =>
    t.database.db.execute(
      sql`update tickets set ${sql.raw(column)} = now() - interval '1 minute' where id = ${id}`,
    );
  const sweep = () => sweepTicketBreaches(t.app.deps);
  const mails = (ticketId: string, kind: string) =>
    t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, kind), sql`${outbox.metadata} ->> 'ticketId' = ${ticketId}`));

  beforeAll(async () => {
    // The clock runs every second here, as it would on a busy server, alongside the sweeps the tests start.
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
      ["john", "john@acme.test", "acme"],
      ["marge", "marge@globex.test", "globex"],
      ["hank", "admin@globex.test", "globex"],
    ] as const) {
      tok[who] = await t.login(email, tenant);
      ids[who] = (await call(who, "GET", "/me")).body.user.id;
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it("due times come from the tenant's targets per priority; bad targets are refused and change nothing", async () => {
    const set = await call("admin", "PATCH", "/settings", {
      ticketSla: { urgent: { firstResponseMinutes: 15, resolutionMinutes: 90 } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.ticketSla.medium).toEqual({ firstResponseMinutes: 480, resolutionMinutes: 2880 });
    for (const bad of [
      { urgent: { firstResponseMinutes: 0, resolutionMinutes: 90 } },
      { urgent: { firstResponseMinutes: 15 } },
      { critical: { firstResponseMinutes: 5, resolutionMinutes: 10 } },
    ]) {
      expect((await call("admin", "PATCH", "/settings", { ticketSla: bad })).status).toBe(400);
    }
    expect((await call("sarah", "PATCH", "/settings", { ticketSla: {} })).status).toBe(403);
    expect((await call("admin", "GET", "/settings")).body.ticketSla.urgent).toEqual({
      firstResponseMinutes: 15,
      resolutionMinutes: 90,
    });

    const urgent = await open("john", { priority: "urgent" });
    expect(offset(urgent.firstResponseDueAt, urgent.createdAt)).toBe(15 * minute);
    expect(offset(urgent.slaDueAt, urgent.createdAt)).toBe(90 * minute);
    const medium = await open();
    expect(offset(medium.firstResponseDueAt, medium.createdAt)).toBe(480 * minute);
    expect(offset(medium.slaDueAt, medium.createdAt)).toBe(2880 * minute);
    expect(medium).toMatchObject({ slaPaused: false, slaBreachedAt: null });
  });

  it("a priority change moves both due times, still counted from the ticket's creation", async () => {
    const created = await open();
    const urgent = await patch("sarah", created.id, { priority: "urgent" });
    expect(offset(urgent.firstResponseDueAt, created.createdAt)).toBe(15 * minute);
    expect(offset(urgent.slaDueAt, created.createdAt)).toBe(90 * minute);
    const low = await patch("sarah", created.id, { priority: "low" });
    expect(offset(low.firstResponseDueAt, created.createdAt)).toBe(1440 * minute);
    expect(offset(low.slaDueAt, created.createdAt)).toBe(10080 * minute);
  });

  it("waiting on the customer stops the clock; leaving it pushes both due times back by the pause", async () => {
    const created = await open();
    const waiting = await patch("sarah", created.id, { status: "waiting_on_customer" });
    expect(waiting).toMatchObject({ slaPaused: true, slaDueAt: created.slaDueAt });
    // Thirty minutes pass while the customer is away.
    await t.database.db.execute(
      sql`update tickets set sla_paused_at = sla_paused_at - interval '30 minutes' where id = ${created.id}`,
    );
    const back = await patch("sarah", created.id, { status: "in_progress" });
    expect(back.slaPaused).toBe(false);
    expect(Math.abs(offset(back.slaDueAt, created.slaDueAt) - 30 * minute)).toBeLessThanOrEqual(1000);
    expect(offset(back.firstResponseDueAt, created.firstResponseDueAt)).toBe(
      offset(back.slaDueAt, created.slaDueAt),
    );

    // The customer's reply ends a pause too, and the pauses add up.
    await patch("sarah", created.id, { status: "waiting_on_customer" });
    await t.database.db.execute(
      sql`update tickets set sla_paused_at = sla_paused_at - interval '10 minutes' where id = ${created.id}`,
    );
    const reply = await call("john", "POST", `/conversations/${created.conversationId}/messages`, {
      body: "Here is the screenshot you asked for.",
      clientId: `pause-${created.id}`,
    });
    expect(reply.status).toBe(201);
    const after = await ticket(created.id);
    expect(after).toMatchObject({ status: "open", slaPaused: false });
    expect(Math.abs(offset(after.slaDueAt, created.slaDueAt) - 40 * minute)).toBeLessThanOrEqual(2000);
  });

  it("a paused, resolved or closed ticket does not breach, however late", async () => {
    const paused = await open();
    await patch("sarah", paused.id, { status: "waiting_on_customer" });
    const resolved = await open();
    await patch("sarah", resolved.id, { status: "resolved" });
    const closed = await open();
    await patch("john", closed.id, { status: "closed" });
    for (const x of [paused, resolved, closed]) {
      await overdue(x.id, "first_response_due_at");
      await overdue(x.id, "sla_due_at");
    }
    await sweep();
    await sleep(1500); // and a tick of the clock
    for (const [x, status] of [
      [paused, "waiting_on_customer"],
      [resolved, "resolved"],
      [closed, "closed"],
    ] as const) {
      expect(await ticket(x.id)).toMatchObject({ status, slaBreachedAt: null });
      expect((await trail(x.id)).map((e) => e.type)).not.toContain("sla_breached");
    }
  });

  it("a missed first response flags and escalates the ticket once, announces it, and tells the assignee's team lead", async () => {
    const lead = await connectSocket(url, { token: tok.lead! });
    const supervisor = await connectSocket(url, { token: tok.supervisor! });
    sockets.push(lead, supervisor);
    const supervisorHeard = record(supervisor, "notification");
    const created = await open();
    await patch("sarah", created.id, { assigneeId: ids.sarah });
    const told = next(lead, "notification", (x) => x.link === `/console/tickets/${created.id}`);
    const updated = next(
      supervisor,
      "ticket:updated",
      (x) => x.ticket.id === created.id && !!x.ticket.slaBreachedAt,
    );
    await overdue(created.id, "first_response_due_at");
    const dueAt = (await ticket(created.id)).firstResponseDueAt;
    await sweep();

    const breached = await ticket(created.id);
    expect(breached).toMatchObject({ status: "escalated", assignee: { id: ids.sarah } });
    expect(breached.slaBreachedAt).not.toBeNull();
    expect(breached.escalatedAt).toBe(breached.slaBreachedAt);
    expect((await updated).ticket.status).toBe("escalated");
    expect(await told).toMatchObject({
      kind: "ticket.sla_breached",
      title: `${created.reference} missed its first-response target`,
    });
    const entries = (await trail(created.id)).filter(
      (e) => e.type === "sla_breached" || e.type === "escalated",
    );
    expect(entries).toEqual([
      expect.objectContaining({
        type: "sla_breached",
        actor: expect.objectContaining({ type: "system", id: null }),
        newValue: { target: "first_response", dueAt },
      }),
      expect.objectContaining({
        type: "escalated",
        actor: expect.objectContaining({ type: "system" }),
        oldValue: { status: "open" },
        newValue: { status: "escalated" },
      }),
    ]);
    const [mail, ...others] = await mails(created.id, "ticket.escalated");
    expect(others).toHaveLength(0);
    expect(mail).toMatchObject({ recipient: "lead@acme.test", metadata: { cause: "sla_breached" } });
    expect(mail!.subject).toBe(`[${created.reference}] Missed first-response target: ${created.subject}`);
    expect(mail!.body).toContain(`${url}/console/tickets/${created.id}`);
    expect(await mails(created.id, "ticket.status")).toEqual([
      expect.objectContaining({
        recipient: "john@acme.test",
        metadata: expect.objectContaining({ status: "escalated" }),
      }),
    ]);

    // Another sweep, and the clock's ticks, change nothing.
    await sweep();
    await sleep(1500);
    const again = await ticket(created.id);
    expect(again.slaBreachedAt).toBe(breached.slaBreachedAt);
    expect(again.updatedAt).toBe(breached.updatedAt);
    expect((await trail(created.id)).filter((e) => e.type === "sla_breached")).toHaveLength(1);
    expect(await mails(created.id, "ticket.escalated")).toHaveLength(1);
    expect(supervisorHeard.filter((x) => x.link.endsWith(created.id))).toHaveLength(0);
  });

  it("a ticket answered in time but not resolved by its due time breaches its resolution target", async () => {
    const created = await open();
    const reply = await call("sarah", "POST", `/conversations/${created.conversationId}/messages`, {
      body: "We are on it.",
      clientId: `answer-${created.id}`,
    });
    expect(reply.status).toBe(201);
    await patch("sarah", created.id, { status: "in_progress" });
    await overdue(created.id, "first_response_due_at");
    await sweep();
    expect((await ticket(created.id)).slaBreachedAt).toBeNull();
    await overdue(created.id, "sla_due_at");
    await sweep();
    const entries = await trail(created.id);
    const breach = entries.find((e) => e.type === "sla_breached");
    expect(breach?.newValue).toMatchObject({ target: "resolution" });
    expect(entries.find((e) => e.type === "escalated")?.oldValue).toEqual({ status: "in_progress" });
  });

  it("with no lead above the ticket, supervisors and admins hear of it; an escalated ticket is not escalated again", async () => {
    const unassigned = await open();
    const leads = await open();
    await patch("lead", leads.id, { assigneeId: ids.lead });
    const escalated = await open();
    await patch("sarah", escalated.id, { status: "escalated" });
    for (const x of [unassigned, leads, escalated]) await overdue(x.id, "first_response_due_at");
    await sweep();
    for (const x of [unassigned, leads, escalated]) {
      const recipients = (await mails(x.id, "ticket.escalated"))
        .filter((m) => m.metadata.cause === "sla_breached")
        .map((m) => m.recipient)
        .sort();
      expect(recipients).toEqual(["admin@acme.test", "supervisor@acme.test"]);
    }
    const types = (await trail(escalated.id)).map((e) => e.type);
    expect(types.filter((x) => x === "escalated")).toHaveLength(1);
    expect(types.at(-1)).toBe("sla_breached");
  });

  it("sweeps running at once flag each ticket once, and the clock alone flags a late ticket", async () => {
    const many = await Promise.all([1, 2, 3, 4, 5].map(() => open()));
    for (const x of many) await overdue(x.id, "first_response_due_at");
    await Promise.all([sweep(), sweep(), sweep()]);
    for (const x of many) {
      expect((await trail(x.id)).filter((e) => e.type === "sla_breached")).toHaveLength(1);
      expect((await mails(x.id, "ticket.escalated")).length).toBe(2);
    }

    const alone = await open();
    await overdue(alone.id, "sla_due_at");
    const until = Date.now() + 8000;
    while (!(await ticket(alone.id)).slaBreachedAt && Date.now() < until) await sleep(200);
    expect(await ticket(alone.id)).toMatchObject({ status: "escalated", slaBreachedAt: expect.any(String) });
  });

  it("each tenant's breaches reach only that tenant's people", async () => {
    const res = await call("marge", "POST", "/tickets", {
      subject: "Globex late case",
      description: "Nobody answered this one yet.",
      category: "general",
    });
    expect(res.status).toBe(201);
    await overdue(res.body.id, "first_response_due_at");
    await sweep();
    const recipients = (await mails(res.body.id, "ticket.escalated")).map((m) => m.recipient);
    expect(recipients).toEqual(["admin@globex.test"]);
    expect((await call("hank", "GET", `/tickets/${res.body.id}`)).body.status).toBe("escalated");
    expect((await call("admin", "GET", `/tickets/${res.body.id}`)).status).toBe(404);
  });
});
