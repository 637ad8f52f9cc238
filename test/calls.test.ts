import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Call } from "../src/protocol/call";
import { queryRows } from "../src/server/db/client";
import { sweepCalls } from "../src/server/modules/calls/call-sweep";
import { callBed, callStats as stats } from "./helpers/call-bed";
import { connectSocket, next, record, settle } from "./helpers/socket";

const people = [
  ["admin", "admin@acme.test", "acme"],
  ["lead", "lead@acme.test", "acme"],
  ["sarah", "sarah@acme.test", "acme"],
  ["mike", "mike@acme.test", "acme"],
  ["john", "john@acme.test", "acme"],
  ["jane", "jane@acme.test", "acme"],
  ["bob", "bob@acme.test", "acme"],
  ["homer", "homer@globex.test", "globex"],
  ["marge", "marge@globex.test", "globex"],
] as const;

describe("voice calls: queue, ringing, answer, decline, end, missed and abandoned", () => {
  const bed = callBed(people);
  const { tok, ids, api, online, socketOf, socketsOf, dial, exec } = bed;
  const trail = async (callId: string) =>
    (await api("admin", "GET", `/audit-log?subjectType=call&subjectId=${callId}&limit=100`)).body.items.map(
      (e: { action: string }) => e.action,
    );
  const count = async (q: ReturnType<typeof sql>) =>
    Number((await queryRows<{ n: number }>(bed.t.database.db, q))[0]?.n);

  it("rings every online agent and team lead with room, never those away, on a break or offline; the first answer wins", async () => {
    const [sarahS, leadS, mikeS, johnS, adminS] = await socketsOf("sarah", "lead", "mike", "john", "admin");
    await online("sarah");
    await online("lead");
    await online("mike", "away");
    await online("admin");
    const rangSarah = next(sarahS, "call:incoming");
    const rangLead = next(leadS, "call:incoming");
    const mikeRings = record(mikeS, "call:incoming");
    const adminRings = record(adminS, "call:incoming");
    const call = await dial("john");
    expect(call).toMatchObject({ status: "ringing", customer: { id: ids.john }, agent: null, position: 1 });
    expect((await rangSarah).call.id).toBe(call.id);
    expect((await rangLead).call).toMatchObject({ id: call.id, status: "ringing" });
    await settle();
    // Away, and an admin (admins pick up by hand, they are not rung).
    expect(mikeRings).toEqual([]);
    expect(adminRings).toEqual([]);

    // Mike comes online: the waiting call rings for him too.
    const rangMike = next(mikeS, "call:incoming", (p) => p.call.id === call.id);
    await online("mike");
    await rangMike;

    const johnHears = next(johnS, "call:updated", (p) => p.call.status === "active");
    const leadHears = next(leadS, "call:updated", (p) => p.call.status === "active");
    const answered = await api("sarah", "POST", `/calls/${call.id}/answer`);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: "active",
      agent: { id: ids.sarah, name: "Sarah Johnson" },
    });
    expect((await johnHears).call.agent?.id).toBe(ids.sarah);
    expect((await leadHears).call.agent?.id).toBe(ids.sarah);

    for (const who of ["lead", "mike"] as const) {
      const late = await api(who, "POST", `/calls/${call.id}/answer`);
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe("Someone else has already answered this call.");
    }
    // Answering again is harmless for the one who has it.
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);
    expect(await trail(call.id)).toEqual(["call.answered", "call.offered", "call.offered", "call.created"]);
  });

  it("one live call per customer; a chat named must be the caller's own support chat; staff cannot call", async () => {
    const chat = await api("jane", "POST", "/conversations", { subject: "Card", message: "About my card" });
    expect(chat.status).toBe(201);
    const mine = await dial("jane", { conversationId: chat.body.id });
    expect(mine).toMatchObject({ status: "queued", conversationId: chat.body.id });
    const again = await api("jane", "POST", "/calls", {});
    expect(again.status).toBe(409);
    expect(again.body.error.details.callId).toBe(mine.id);

    expect((await api("john", "POST", "/calls", { conversationId: chat.body.id })).status).toBe(404);
    expect((await api("john", "POST", "/calls", { conversationId: "nope" })).status).toBe(400);
    expect((await api("john", "POST", "/calls", { conversationId: chat.body.id, extra: 1 })).status).toBe(
      400,
    );
    expect((await api("sarah", "POST", "/calls", {})).status).toBe(403);
    expect((await api("marge", "POST", "/calls", { conversationId: chat.body.id })).status).toBe(404);
    // No body at all is a call without a chat; ending without a body is a plain hang-up.
    const bare = await bed.t.api("POST", "/calls", { token: tok.john });
    expect(bare.status, JSON.stringify(bare.body)).toBe(201);
    expect((await bed.t.api("POST", `/calls/${bare.body.id}/end`, { token: tok.john })).body.status).toBe(
      "abandoned",
    );
    // Two clicks at once still make one call.
    const both = await Promise.all([api("bob", "POST", "/calls", {}), api("bob", "POST", "/calls", {})]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(
      await count(
        sql`select count(*)::int as n from calls where customer_id = ${ids.bob} and status in ('queued', 'ringing')`,
      ),
    ).toBe(1);
  });

  it("the agent who answers a call placed from a chat joins that chat, to read and write along", async () => {
    // Sarah is online and gets the chat; Mike, the only one free for calls, cannot see it.
    await online("sarah");
    const chat = await api("bob", "POST", "/conversations", { subject: "Loan", message: "About my loan" });
    expect(chat.status).toBe(201);
    expect(chat.body.assignee?.id).toBe(ids.sarah);
    const path = `/conversations/${chat.body.id}/messages`;
    expect((await api("mike", "GET", path)).status).toBe(404);
    const call = await dial("bob", { conversationId: chat.body.id });
    await online("mike");
    expect((await api("mike", "POST", `/calls/${call.id}/answer`)).status).toBe(200);

    const thread = await api("mike", "GET", path);
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((m: { body: string }) => m.body)).toContain("About my loan");
    const sent = await api("mike", "POST", path, {
      body: "Here is the form we talked about.",
      clientId: "c-call-1",
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    // The chat stays Sarah's: Mike joined it, he did not take it.
    expect((await api("bob", "GET", `/conversations/${chat.body.id}`)).body.assignee.id).toBe(ids.sarah);
  });

  it("capacity: someone at their limit is not rung and cannot answer; finishing a call rings them again", async () => {
    const [sarahS, leadS] = await socketsOf("sarah", "lead");
    await exec(sql`update users set max_calls = 1 where id = ${ids.sarah}`);
    await online("sarah");
    const first = await dial("john");
    expect((await api("sarah", "POST", `/calls/${first.id}/answer`)).status).toBe(200);
    const board = await api("lead", "GET", "/staff?limit=200");
    expect(board.body.items.find((p: { id: string }) => p.id === ids.sarah)).toMatchObject({
      activeCalls: 1,
      maxCalls: 1,
    });

    await online("lead");
    const sarahRings = record(sarahS, "call:incoming");
    const leadRung = next(leadS, "call:incoming");
    const second = await dial("jane");
    expect((await leadRung).call.id).toBe(second.id);
    await settle();
    expect(sarahRings).toEqual([]);
    const full = await api("sarah", "POST", `/calls/${second.id}/answer`);
    expect(full.status).toBe(409);
    expect(full.body.error.details.activeCalls).toBe(1);
    expect((await api("sarah", "GET", `/calls/${second.id}`)).body.status).toBe("ringing");

    // Her call ends: the waiting one rings for her now.
    const rungAgain = next(sarahS, "call:incoming", (p) => p.call.id === second.id);
    expect((await api("john", "POST", `/calls/${first.id}/end`, {})).body.status).toBe("completed");
    await rungAgain;
    expect((await api("sarah", "POST", `/calls/${second.id}/answer`)).status).toBe(200);
    // maxCalls 0 is never rung.
    await exec(sql`update users set max_calls = 0 where id = ${ids.lead}`);
    const leadRings = record(leadS, "call:incoming");
    await dial("bob");
    await settle();
    expect(leadRings).toEqual([]);
  });

  it("someone who goes on a break or away stops being rung; back online, the waiting call rings again", async () => {
    const sarahS = await socketOf("sarah");
    await online("sarah");
    const call = await dial("john");
    expect(call.status).toBe("ringing");
    const quiet = next(sarahS, "call:updated", (p) => p.call.id === call.id && p.call.status === "queued");
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    expect((await api("sarah", "PATCH", "/me/availability", { status: "on_break", until })).status).toBe(200);
    await quiet;
    expect((await api("lead", "GET", "/queue")).body.calls[0]).toMatchObject({
      callId: call.id,
      status: "queued",
    });
    const again = next(sarahS, "call:incoming", (p) => p.call.id === call.id);
    await online("sarah");
    await again;
    expect((await api("john", "GET", `/calls/${call.id}`)).body.status).toBe("ringing");
  });

  it("parallel answers: one call, three agents → exactly one wins; one agent with room for one, three calls → one", async () => {
    for (const who of ["sarah", "mike", "lead"] as const) await online(who);
    const call = await dial("john");
    const answers = await Promise.all(
      (["sarah", "mike", "lead"] as const).map((who) => api(who, "POST", `/calls/${call.id}/answer`)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const winner = answers.find((r) => r.status === 200)!.body.agent.id;
    expect((await api("admin", "GET", `/calls/${call.id}`)).body.agent.id).toBe(winner);
    const answeredEntries = (await trail(call.id)).filter((a: string) => a === "call.answered");
    expect(answeredEntries).toHaveLength(1);

    await exec(sql`update users set max_calls = 1 where id = ${ids.mike}`);
    await exec(sql`update calls set status = 'failed' where status = 'active'`);
    const waiting = await Promise.all((["john", "jane", "bob"] as const).map((who) => dial(who)));
    const tries = await Promise.all(waiting.map((c) => api("mike", "POST", `/calls/${c.id}/answer`)));
    expect(tries.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(
      await count(
        sql`select count(*)::int as n from calls where agent_id = ${ids.mike} and status = 'active'`,
      ),
    ).toBe(1);
  });

  it("a burst of calls, answers, declines, hang-ups and availability changes at once: no failure, nobody over their limit", async () => {
    const callers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await bed.t.api("POST", "/auth/signup", {
        body: {
          tenant: "acme",
          email: `burst${i}-${Date.now()}@acme.test`,
          name: `Burst ${i}`,
          password: "burst-password-1",
        },
      });
      expect(res.status).toBe(201);
      callers.push(res.body.token);
    }
    const agents = ["sarah", "mike", "lead"] as const;
    const created = await Promise.all([
      ...callers.map((token) => bed.t.api("POST", "/calls", { token, body: {} })),
      ...agents.map((who) => api(who, "PATCH", "/me/availability", { status: "online" })),
    ]);
    expect(created.filter((r) => r.status >= 500)).toEqual([]);
    const callIds = created.slice(0, callers.length).map((r) => r.body.id as string);
    const answers = await Promise.all([
      ...agents.flatMap((who) => callIds.map((id) => api(who, "POST", `/calls/${id}/answer`))),
      ...callIds.map((id) => api("mike", "POST", `/calls/${id}/decline`)),
      api("lead", "PATCH", "/me/availability", { status: "away" }),
      api("lead", "PATCH", "/me/availability", { status: "online" }),
    ]);
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    const won = answers.slice(0, agents.length * callIds.length).filter((r) => r.status === 200);
    expect(won).toHaveLength(6);
    expect(new Set(won.map((r) => r.body.id)).size).toBe(6);
    for (const who of agents)
      expect(
        await count(
          sql`select count(*)::int as n from calls where agent_id = ${ids[who]} and status = 'active'`,
        ),
      ).toBe(2);

    // Both parties hang up at once, while the rest of the callers give up.
    const ends = await Promise.all(
      callIds.flatMap((id, i) => {
        const winner = won.find((r) => r.body.id === id);
        const customer = bed.t.api("POST", `/calls/${id}/end`, {
          token: callers[i],
          body: { stats: stats() },
        });
        if (!winner) return [customer];
        const agent = agents.find((who) => ids[who] === winner.body.agent.id)!;
        return [customer, api(agent, "POST", `/calls/${id}/end`, { stats: stats({ packetLossPct: 3 }) })];
      }),
    );
    expect(ends.filter((r) => r.status !== 200)).toEqual([]);
    const ended = await queryRows<{ status: string; n: number }>(
      bed.t.database.db,
      sql`select status, count(*)::int as n from calls where id in (${sql.join(
        callIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) group by status order by status`,
    );
    expect(ended).toEqual([
      { status: "abandoned", n: 6 },
      { status: "completed", n: 6 },
    ]);
    expect(
      await count(
        sql`select count(*)::int as n from activity where action = 'call.ended' and subject_id in (${sql.join(
          callIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      ),
    ).toBe(6);
  });

  it("decline: it stops ringing for that agent only, is not rung for them again, and queues when nobody is left", async () => {
    const sarahS = await socketOf("sarah");
    await online("sarah");
    await online("lead");
    const call = await dial("john");
    const sarahHears = next(sarahS, "call:updated", (p) => p.call.id === call.id);
    const declined = await api("sarah", "POST", `/calls/${call.id}/decline`);
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe("ringing");
    await sarahHears;
    expect((await api("sarah", "POST", `/calls/${call.id}/decline`)).status).toBe(409);
    expect((await api("mike", "POST", `/calls/${call.id}/decline`)).status).toBe(409);

    // Sarah goes away and comes back: the call she declined does not ring for her again.
    const sarahRings = record(sarahS, "call:incoming");
    await online("sarah", "away");
    await online("sarah");
    await settle();
    expect(sarahRings).toEqual([]);
    const last = await api("lead", "POST", `/calls/${call.id}/decline`);
    expect(last.body.status).toBe("queued");
    // Declining does not stop anyone answering it from the queue.
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);
    expect((await api("lead", "POST", `/calls/${call.id}/decline`)).status).toBe(409);
    expect(await trail(call.id)).toContain("call.declined");
  });

  it("hang-up: duration from answer to end, both sides' reports scored, the other side's end only rescores", async () => {
    const johnS = await socketOf("john");
    await online("sarah");
    const call = await dial("john");
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);
    // 95 seconds into the call.
    await exec(sql`update calls set answered_at = now() - interval '95 seconds' where id = ${call.id}`);

    const bad = [
      { stats: stats({ packetLossPct: 101 }) },
      { stats: stats({ rttMs: -1 }) },
      { stats: stats({ bytesSent: 1.5 }) },
      { stats: { ...stats(), extra: 1 } },
      { stats: { rttMs: 10 } },
      { reason: "bye" },
    ];
    for (const body of bad)
      expect((await api("sarah", "POST", `/calls/${call.id}/end`, body)).status).toBe(400);
    expect((await api("jane", "POST", `/calls/${call.id}/end`, {})).status).toBe(404);
    expect((await api("lead", "POST", `/calls/${call.id}/end`, {})).status).toBe(403);
    expect((await api("mike", "POST", `/calls/${call.id}/end`, {})).status).toBe(404);
    expect((await api("admin", "GET", `/calls/${call.id}`)).body.status).toBe("active");

    const johnHears = next(johnS, "call:updated", (p) => p.call.status === "completed");
    const ended = await api("sarah", "POST", `/calls/${call.id}/end`, { stats: stats() });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: "completed", endedBy: ids.sarah, poorQuality: false });
    expect(ended.body.durationSeconds).toBeGreaterThanOrEqual(95);
    expect(ended.body.durationSeconds).toBeLessThan(100);
    // 40 ms, 4 ms, 0.5 %: R = 93.2 − 0.024·38 − 95·0.5/25.6 ≈ 90.43 → 4.35.
    expect(ended.body.quality).toBeCloseTo(4.35, 2);
    expect((await johnHears).call.durationSeconds).toBe(ended.body.durationSeconds);

    // John's browser reports a poor line: the call takes the worse side; status and duration stay.
    const later = await api("john", "POST", `/calls/${call.id}/end`, {
      stats: stats({ rttMs: 600, jitterMs: 50, packetLossPct: 10 }),
    });
    expect(later.body).toMatchObject({
      status: "completed",
      durationSeconds: ended.body.durationSeconds,
      endedBy: ids.sarah,
      quality: 1.64,
      poorQuality: true,
    });
    expect((await api("john", "POST", `/calls/${call.id}/end`, {})).body.quality).toBe(1.64);
    expect(await trail(call.id)).toEqual([
      "call.quality_reported",
      "call.ended",
      "call.answered",
      "call.offered",
      "call.created",
    ]);
    const log = await api(
      "admin",
      "GET",
      `/audit-log?subjectType=call&subjectId=${call.id}&action=call.ended`,
    );
    expect(log.body.items[0].newValue).toMatchObject({
      status: "completed",
      durationSeconds: ended.body.durationSeconds,
      quality: 4.35,
    });
  });

  it("a waiting customer who hangs up abandons the call; one nobody answers in time is missed", async () => {
    const sarahS = await socketOf("sarah");
    await online("sarah");
    const left = await dial("john");
    const sarahHears = next(sarahS, "call:updated", (p) => p.call.id === left.id);
    const gone = await api("john", "POST", `/calls/${left.id}/end`, {});
    expect(gone.body).toMatchObject({
      status: "abandoned",
      endReason: "customer_hung_up",
      durationSeconds: null,
    });
    expect((await sarahHears).call.status).toBe("abandoned");
    const late = await api("sarah", "POST", `/calls/${left.id}/answer`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe("The call has already ended.");

    const unanswered = await dial("jane");
    const fresh = await dial("bob");
    await exec(sql`update calls set queued_at = now() - interval '61 seconds' where id = ${unanswered.id}`);
    const missedHeard = next(sarahS, "call:updated", (p) => p.call.id === unanswered.id);
    await sweepCalls(bed.t.app.deps);
    expect((await missedHeard).call).toMatchObject({ status: "missed", endReason: "no_answer" });
    expect((await api("bob", "GET", `/calls/${fresh.id}`)).body.status).toBe("ringing");
    expect((await api("sarah", "POST", `/calls/${unanswered.id}/answer`)).status).toBe(409);
    // The tenant's own timeout counts: 2 minutes.
    await api("admin", "PATCH", "/settings", { callRingTimeoutSeconds: 120 });
    await exec(sql`update calls set queued_at = now() - interval '90 seconds' where id = ${fresh.id}`);
    await sweepCalls(bed.t.app.deps);
    expect((await api("bob", "GET", `/calls/${fresh.id}`)).body.status).toBe("ringing");
    await api("admin", "PATCH", "/settings", { callRingTimeoutSeconds: 60 });
    expect(await trail(unanswered.id)).toContain("call.missed");
    expect(await trail(left.id)).toContain("call.abandoned");
  });

  it("another tenant's call is not found; who sees which call", async () => {
    await online("sarah");
    const call = await dial("john");
    for (const [method, path] of [
      ["GET", `/calls/${call.id}`],
      ["POST", `/calls/${call.id}/answer`],
      ["POST", `/calls/${call.id}/decline`],
      ["POST", `/calls/${call.id}/end`],
    ] as const)
      expect((await api("homer", method, path, method === "POST" ? {} : undefined)).status).toBe(404);
    expect((await api("marge", "GET", `/calls/${call.id}`)).status).toBe(404);
    expect((await api("jane", "GET", `/calls/${call.id}`)).status).toBe(404);
    expect((await api("homer", "GET", "/calls")).body.items).toEqual([]);
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);
    await api("sarah", "POST", `/calls/${call.id}/end`, {});
    // Agents see their own calls; team leads and above all of them.
    expect((await api("mike", "GET", `/calls/${call.id}`)).status).toBe(404);
    expect((await api("lead", "GET", `/calls/${call.id}`)).status).toBe(200);
    expect((await api("john", "GET", `/calls/${call.id}`)).body.status).toBe("completed");
    const mine = await api("john", "GET", "/calls?limit=200");
    expect(mine.body.items.every((c: Call) => c.customer?.id === ids.john)).toBe(true);
    const sarahs = await api("lead", "GET", `/calls?agentId=${ids.sarah}&status=completed&limit=200`);
    expect(sarahs.body.items.length).toBeGreaterThan(0);
    expect(sarahs.body.items.every((c: Call) => c.agent?.id === ids.sarah && c.status === "completed")).toBe(
      true,
    );
    const paged = await api("lead", "GET", "/calls?limit=1");
    expect(paged.body.nextCursor).toBeTruthy();
    const page2 = await api("lead", "GET", `/calls?limit=1&cursor=${paged.body.nextCursor}`);
    expect(page2.body.items[0].id).not.toBe(paged.body.items[0].id);
    expect((await api("lead", "GET", "/calls?status=nope")).status).toBe(400);
    expect((await api("lead", "GET", "/calls?cursor=forged")).status).toBe(400);
    expect(
      (await api("mike", "GET", "/calls?limit=200")).body.items.some((c: Call) => c.id === call.id),
    ).toBe(false);
  });

  it("the call queue: in order with place and wait for staff, and each waiting customer's place live", async () => {
    const [leadS, janeS] = await socketsOf("lead", "jane");
    const first = await dial("john");
    await exec(sql`update calls set queued_at = now() - interval '20 seconds' where id = ${first.id}`);
    const second = await dial("jane");
    const queue = await api("lead", "GET", "/queue");
    expect(queue.status).toBe(200);
    expect(queue.body.calls).toMatchObject([
      { callId: first.id, position: 1, status: "queued", customer: { id: ids.john } },
      { callId: second.id, position: 2, status: "queued", customer: { id: ids.jane } },
    ]);
    expect(queue.body.calls[0].waitingSeconds).toBeGreaterThanOrEqual(20);
    expect((await api("jane", "GET", `/calls/${second.id}`)).body.position).toBe(2);

    const moved = next(
      janeS,
      "queue:position",
      (p) => "callId" in p && p.callId === second.id && p.position === 1,
    );
    const staffView = next(leadS, "queue:updated", (q) => q.calls.length === 1);
    await online("sarah");
    expect((await api("sarah", "POST", `/calls/${first.id}/answer`)).status).toBe(200);
    expect(await moved).toMatchObject({ callId: second.id, position: 1 });
    expect((await staffView).calls[0]).toMatchObject({ callId: second.id, position: 1, status: "ringing" });
  });

  it("a party whose last tab goes away past the grace period ends an active call, and the agent's room is free", async () => {
    const [sarahS, mikeS, johnS, janeS] = await socketsOf("sarah", "mike", "john", "jane");
    await online("sarah");
    await online("mike");
    const first = await dial("john");
    expect((await api("sarah", "POST", `/calls/${first.id}/answer`)).status).toBe(200);
    const second = await dial("jane");
    expect((await api("mike", "POST", `/calls/${second.id}/answer`)).status).toBe(200);
    const johnHears = next(
      johnS,
      "call:updated",
      (p) => p.call.id === first.id && p.call.status === "completed",
      9000,
    );
    const mikeHears = next(
      mikeS,
      "call:updated",
      (p) => p.call.id === second.id && p.call.status === "completed",
      9000,
    );
    sarahS.close();
    janeS.close();
    expect((await johnHears).call).toMatchObject({ endReason: "agent_left", endedBy: ids.sarah });
    expect((await mikeHears).call).toMatchObject({ endReason: "customer_left", endedBy: ids.jane });
    expect(await count(sql`select count(*)::int as n from calls where status = 'active'`)).toBe(0);
    expect(await trail(first.id)).toContain("call.ended");
  }, 15_000);

  it("a waiting customer whose last tab goes away past the grace period abandons the call", async () => {
    const sarahS = await socketOf("sarah");
    await online("sarah");
    const bobS = await connectSocket(bed.url, { token: tok.bob });
    const call = await dial("bob");
    const heard = next(
      sarahS,
      "call:updated",
      (p) => p.call.id === call.id && p.call.status === "abandoned",
      9000,
    );
    bobS.close();
    const abandoned = await heard;
    expect(abandoned.call.endReason).toBe("customer_left");
    expect(await trail(call.id)).toContain("call.abandoned");
  }, 15_000);
});
