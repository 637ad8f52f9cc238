import { eq } from "drizzle-orm";
import { calls, participants, users } from "../../db/schema";
import { conflict } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { lockRouting, queueChanged } from "../routing/routing";
import { announceCall } from "./call.events";
import { withoutRing } from "./call-ring";
import { activeCallCounts, isWaiting, loadCall, ringingFor, ringOf, type Viewer } from "./call-row";

const ended = () => conflict("The call has already ended.");

/**
 * An agent answers: under the call's row lock (two agents: the second waits, then finds it taken) and then the
 * routing lock (one agent answering two calls: the second answer counts the first), so a call gets one agent and
 * nobody goes over their maxCalls.
 */
export async function answerCall(scope: Scope, viewer: Viewer, id: string) {
  const call = await loadCall(scope, viewer, id, { forUpdate: true, answering: true });
  if (call.status === "active") {
    if (call.agentId === viewer.id) return announceCall(scope, call);
    throw conflict("Someone else has already answered this call.");
  }
  if (!isWaiting(call)) throw ended();
  await lockRouting(scope);
  const [me] = await scope.tx
    .select({ maxCalls: users.maxCalls, status: users.status })
    .from(users)
    .where(eq(users.id, viewer.id));
  const load = (await activeCallCounts(scope, [viewer.id])).get(viewer.id) ?? 0;
  if (me?.status !== "active" || load >= me.maxCalls)
    throw conflict("You are already on as many calls as you can take.", { activeCalls: load });
  const now = new Date();
  const [after] = await scope.tx
    .update(calls)
    .set({ status: "active", agentId: viewer.id, answeredAt: now, updatedAt: now })
    .where(eq(calls.id, call.id))
    .returning();
  if (call.conversationId) {
    // A call placed from a chat: its agent joins that chat, to read and write along while they talk.
    await scope.tx
      .insert(participants)
      .values({
        conversationId: call.conversationId,
        userId: viewer.id,
        tenantId: scope.tenantId!,
        role: "member",
      })
      .onConflictDoNothing();
  }
  await recordActivity(scope, {
    action: "call.answered",
    subjectType: "call",
    subjectId: call.id,
    oldValue: { status: call.status },
    newValue: { status: "active", agentId: viewer.id },
    metadata: { waitedSeconds: Math.floor((now.getTime() - call.queuedAt.getTime()) / 1000) },
  });
  queueChanged(scope);
  // Everyone it rang hears it was answered, so their toasts go away.
  return announceCall(scope, after!, ringOf(call).offered);
}

/** A rung agent declines: it stops ringing for them and stays queued for the others. */
export async function declineCall(scope: Scope, viewer: Viewer, id: string) {
  const call = await loadCall(scope, viewer, id, { forUpdate: true, answering: true });
  if (!isWaiting(call)) throw conflict("The call is no longer waiting.");
  if (!ringingFor(call).includes(viewer.id)) throw conflict("This call is not ringing for you.");
  const { row, view } = await withoutRing(scope, call, viewer.id);
  await recordActivity(scope, {
    action: "call.declined",
    subjectType: "call",
    subjectId: call.id,
    newValue: { status: row.status },
  });
  return view;
}
