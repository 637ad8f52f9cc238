import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { waitingCallStatuses } from "../../../protocol/call";
import { calls, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { recordActivity } from "../audit/record-activity";
import { frontLine, lockRouting, queueChanged } from "../routing/routing";
import { announceCall } from "./call.events";
import { presentCall } from "./call.presenter";
import { activeCallCounts, factsOf, ringOf } from "./call-row";

/** How many waiting calls one offering looks at; the routing clock comes back for the rest. */
const batch = 200;

/**
 * Rings waiting calls at every online, active front-line person with call capacity (fewer active calls than
 * their maxCalls; someone already talking is rung only if their limit allows; a break, away or offline is never
 * rung). A person is rung once per call, unless `again` names them (they came online or finished a call: their
 * earlier ring may have been dismissed); whoever declined is not rung again. Waiting calls someone else holds
 * locked are skipped (the routing clock comes back), so this can run under the routing lock.
 */
export async function offerCalls(scope: Scope, options: { again?: string } = {}): Promise<number> {
  await lockRouting(scope);
  const staff = await scope.tx
    .select({ id: users.id, maxCalls: users.maxCalls })
    .from(users)
    .where(frontLine());
  const loads = await activeCallCounts(
    scope,
    staff.map((s) => s.id),
  );
  const free = staff.filter((s) => (loads.get(s.id) ?? 0) < s.maxCalls).map((s) => s.id);
  if (!free.length) return 0;
  const waiting = await scope.tx
    .select()
    .from(calls)
    .where(inArray(calls.status, [...waitingCallStatuses]))
    .orderBy(asc(calls.queuedAt), asc(calls.id))
    .limit(batch)
    .for("update", { skipLocked: true });
  let rung = 0;
  for (const call of waiting) {
    const { offered, declined } = ringOf(call);
    const targets = free.filter(
      (id) => !declined.includes(id) && (!offered.includes(id) || id === options.again),
    );
    if (!targets.length) continue;
    const [after] = await scope.tx
      .update(calls)
      .set({
        status: "ringing",
        ringingAt: call.ringingAt ?? new Date(),
        stats: { ...factsOf(call), ring: { offered: [...new Set([...offered, ...targets])], declined } },
        updatedAt: new Date(),
      })
      .where(eq(calls.id, call.id))
      .returning();
    await recordActivity(scope, {
      action: "call.offered",
      subjectType: "call",
      subjectId: call.id,
      metadata: { agents: targets },
    });
    const view = await presentCall(scope, after!);
    scope.afterCommit(() => scope.realtime?.emit(targets.map(rooms.user), "call:incoming", { call: view }));
    if (call.status === "queued") {
      // The customer and the staff watching every call hear it is ringing; the queue shows the new status.
      const to = [
        rooms.tenantCallWatch(call.tenantId),
        ...(call.customerId ? [rooms.user(call.customerId)] : []),
      ];
      scope.afterCommit(() => scope.realtime?.emit(to, "call:updated", { call: view }));
      queueChanged(scope);
    }
    rung++;
  }
  return rung;
}

/** A rung person says "not me": they are not rung again for it; with nobody left ringing it waits as queued. */
export async function withoutRing(scope: Scope, call: typeof calls.$inferSelect, agentId: string) {
  const { offered, declined } = ringOf(call);
  const nowDeclined = [...new Set([...declined, agentId])];
  const stillRinging = offered.some((id) => !nowDeclined.includes(id));
  const [after] = await scope.tx
    .update(calls)
    .set({
      status: stillRinging ? "ringing" : "queued",
      stats: { ...factsOf(call), ring: { offered, declined: nowDeclined } },
      updatedAt: new Date(),
    })
    .where(eq(calls.id, call.id))
    .returning();
  if (after!.status !== call.status) queueChanged(scope);
  return { row: after!, view: await announceCall(scope, after!, [agentId]) };
}

/**
 * Someone stops being online (away, a break, offline): waiting calls stop ringing for them, so the queue shows
 * who is really being rung and their toasts go away; coming back online rings them again. Runs under the routing
 * lock, so call rows another transaction holds are skipped (an answer in flight decides those anyway).
 */
export async function withdrawRings(scope: Scope, agentId: string): Promise<number> {
  const rung = await scope.tx
    .select()
    .from(calls)
    .where(
      and(
        inArray(calls.status, [...waitingCallStatuses]),
        sql`(${calls.stats} -> 'ring' -> 'offered') @> ${JSON.stringify([agentId])}::jsonb`,
      ),
    )
    .for("update", { skipLocked: true });
  for (const call of rung) {
    const { offered, declined } = ringOf(call);
    const left = offered.filter((id) => id !== agentId);
    const [after] = await scope.tx
      .update(calls)
      .set({
        status: left.some((id) => !declined.includes(id)) ? "ringing" : "queued",
        stats: { ...factsOf(call), ring: { offered: left, declined } },
        updatedAt: new Date(),
      })
      .where(eq(calls.id, call.id))
      .returning();
    if (after!.status !== call.status) queueChanged(scope);
    await announceCall(scope, after!, [agentId]);
  }
  return rung.length;
}
