import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { waitingCallStatuses } from "../../../protocol/call";
import { queryRows } from "../../db/client";
import { calls } from "../../db/schema";
import { inSystem } from "../../db/tenant-scope";
import type { Deps } from "../../lib/deps";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { forEachTenant } from "../routing/each-tenant";
import { lockRouting, queueChanged } from "../routing/routing";
import { tenantSettings } from "../settings/tenant-settings";
import { announceCall } from "./call.events";
import { offerCalls } from "./call-ring";
import { abandon, complete } from "./end-call";

/**
 * Waiting calls nobody answered within the tenant's ring timeout become missed. Rows another process (or an
 * answer) holds are skipped, so two processes never miss the same call twice and an answer in flight wins.
 */
export async function missUnansweredCalls(scope: Scope): Promise<number> {
  const timeout = (await tenantSettings(scope)).callRingTimeoutSeconds;
  const due = await scope.tx
    .select()
    .from(calls)
    .where(
      and(
        inArray(calls.status, [...waitingCallStatuses]),
        lte(calls.queuedAt, sql`now() - make_interval(secs => ${timeout})`),
      ),
    )
    .orderBy(asc(calls.queuedAt))
    .limit(500)
    .for("update", { skipLocked: true });
  for (const call of due) {
    const now = new Date();
    const [after] = await scope.tx
      .update(calls)
      .set({ status: "missed", endedAt: now, endReason: "no_answer", updatedAt: now })
      .where(eq(calls.id, call.id))
      .returning();
    await recordActivity(scope, {
      action: "call.missed",
      subjectType: "call",
      subjectId: call.id,
      oldValue: { status: call.status },
      newValue: { status: "missed" },
      metadata: { timeoutSeconds: timeout },
    });
    await announceCall(scope, after!);
  }
  if (due.length) queueChanged(scope);
  return due.length;
}

/**
 * Someone whose last tab has been gone past presence's grace period has left their calls: a waiting customer
 * abandons theirs, and an active call ends (its audio went with the tab), so it does not hold the agent's room.
 * `skipLocked` for staff, whose presence change already holds the routing lock: a call row someone else holds is
 * being ended by them.
 */
export async function leaveCalls(scope: Scope, userId: string, options: { skipLocked?: boolean } = {}) {
  const mine = await scope.tx
    .select()
    .from(calls)
    .where(
      or(
        and(eq(calls.customerId, userId), inArray(calls.status, [...waitingCallStatuses])),
        and(or(eq(calls.customerId, userId), eq(calls.agentId, userId)), eq(calls.status, "active")),
      ),
    )
    .for("update", options.skipLocked ? { skipLocked: true } : undefined);
  for (const call of mine) {
    const side = call.customerId === userId ? "customer" : "agent";
    if (call.status === "active") await complete(scope, call, side, `${side}_left`);
    else await abandon(scope, call, "customer_left");
  }
  return mine.length;
}

/**
 * The calls' part of routing's clock: each tenant with waiting calls has its overdue ones missed and the rest
 * rung again at whoever has room (a call skipped while locked elsewhere is not left waiting).
 */
export async function sweepCalls(deps: Deps): Promise<void> {
  const db = deps.database.db;
  const due = await inSystem(db, (tx) =>
    queryRows<{ tenant_id: string }>(
      tx,
      sql`select distinct tenant_id from ${calls} where status in ('queued', 'ringing')`,
    ),
  );
  await forEachTenant(deps, due, "call sweep", async (scope) => {
    // Ringing the rest needs the routing lock, which comes before the audit trail's that missing takes.
    await lockRouting(scope);
    await missUnansweredCalls(scope);
    await offerCalls(scope);
  });
}
