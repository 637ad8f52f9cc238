import { eq } from "drizzle-orm";
import type { CallStats } from "../../../protocol/call";
import { calls } from "../../db/schema";
import { forbidden } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { lockRouting, queueChanged } from "../routing/routing";
import { announceCall } from "./call.events";
import { presentCall } from "./call.presenter";
import { offerCalls } from "./call-ring";
import { type CallFacts, type CallRow, factsOf, isWaiting, loadCall, stored, type Viewer } from "./call-row";
import { callQuality } from "./quality";

function scored(facts: CallFacts) {
  const q = callQuality([facts.customer, facts.agent]);
  return { quality: q?.quality ?? null, poorQuality: q?.poor ?? false };
}

/**
 * A party hangs up. The customer leaving a waiting call abandons it; either party ending an active call completes
 * it, timed from answer to end. The other party's end afterwards only adds their report and rescores the call.
 * Ending a call that already ended otherwise changes nothing.
 */
export async function endCall(scope: Scope, viewer: Viewer, id: string, stats?: CallStats) {
  const call = await loadCall(scope, viewer, id, { forUpdate: true });
  const side = call.customerId === viewer.id ? "customer" : call.agentId === viewer.id ? "agent" : null;
  if (!side) throw forbidden("Only the call's customer and agent can end it.");
  const now = new Date();
  if (isWaiting(call)) return abandon(scope, call, "customer_hung_up");
  if (call.status === "active") return complete(scope, call, side, `${side}_hung_up`, stats);
  if (call.status === "completed" && stats) {
    const facts = { ...factsOf(call), [side]: stats };
    const [after] = await scope.tx
      .update(calls)
      .set({ stats: stored(facts), ...scored(facts), updatedAt: now })
      .where(eq(calls.id, call.id))
      .returning();
    await recordActivity(scope, {
      action: "call.quality_reported",
      subjectType: "call",
      subjectId: call.id,
      oldValue: { quality: call.quality },
      newValue: { quality: after!.quality, poorQuality: after!.poorQuality },
      metadata: { by: side },
    });
    return announceCall(scope, after!);
  }
  return presentCall(scope, call);
}

/**
 * An active call ends (a party hung up, or left: their last tab gone): completed, timed from answer to end, scored
 * from what was reported so far, and the agent's room goes to waiting calls. The caller holds the call's row.
 */
export async function complete(
  scope: Scope,
  call: CallRow,
  side: "customer" | "agent",
  reason: string,
  stats?: CallStats,
) {
  // The agent's room is given out again below: the routing lock comes before the audit trail's.
  await lockRouting(scope);
  const now = new Date();
  const facts = stats ? { ...factsOf(call), [side]: stats } : factsOf(call);
  const durationSeconds = Math.max(0, Math.floor((now.getTime() - call.answeredAt!.getTime()) / 1000));
  const [after] = await scope.tx
    .update(calls)
    .set({
      status: "completed",
      endedAt: now,
      durationSeconds,
      endReason: reason,
      endedBy: side === "customer" ? call.customerId : call.agentId,
      stats: stored(facts),
      ...scored(facts),
      updatedAt: now,
    })
    .where(eq(calls.id, call.id))
    .returning();
  await recordActivity(scope, {
    action: "call.ended",
    subjectType: "call",
    subjectId: call.id,
    oldValue: { status: "active" },
    newValue: {
      status: "completed",
      durationSeconds,
      quality: after!.quality,
      poorQuality: after!.poorQuality,
    },
    metadata: { by: side, reason },
  });
  const view = await announceCall(scope, after!);
  await offerCalls(scope, { again: call.agentId! });
  return view;
}

/** A waiting call the customer left (hung up, or their last tab went away): abandoned, for everyone it rang. */
export async function abandon(scope: Scope, call: CallRow, reason: string) {
  const now = new Date();
  const [after] = await scope.tx
    .update(calls)
    .set({ status: "abandoned", endedAt: now, endReason: reason, endedBy: call.customerId, updatedAt: now })
    .where(eq(calls.id, call.id))
    .returning();
  await recordActivity(scope, {
    action: "call.abandoned",
    subjectType: "call",
    subjectId: call.id,
    oldValue: { status: call.status },
    newValue: { status: "abandoned" },
    metadata: { reason, waitedSeconds: Math.floor((now.getTime() - call.queuedAt.getTime()) / 1000) },
  });
  queueChanged(scope);
  return announceCall(scope, after!);
}
