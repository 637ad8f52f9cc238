import { asc, inArray } from "drizzle-orm";
import type { CallQueuePosition, QueuedCall } from "../../../protocol/call";
import { waitingCallStatuses } from "../../../protocol/call";
import { calls } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { presentCalls } from "./call.presenter";

export interface CallQueueView {
  calls: QueuedCall[];
  /** Every waiting call's customer and place, for announcing positions. */
  positions: Array<CallQueuePosition & { customerId: string | null }>;
}

/** The tenant's waiting calls, first come first served, with each one's place and how long it has waited. */
export async function readCallQueue(scope: Scope, limit = 100): Promise<CallQueueView> {
  const waiting = await scope.tx
    .select()
    .from(calls)
    .where(inArray(calls.status, [...waitingCallStatuses]))
    .orderBy(asc(calls.queuedAt), asc(calls.id));
  const now = Date.now();
  const positions = waiting.map((c, i) => ({
    callId: c.id,
    position: i + 1,
    waitingSeconds: Math.max(0, Math.floor((now - c.queuedAt.getTime()) / 1000)),
    customerId: c.customerId,
  }));
  const head = waiting.slice(0, limit);
  const views = await presentCalls(scope, head);
  return {
    calls: head.map((c, i) => ({
      callId: c.id,
      position: positions[i]!.position,
      waitingSeconds: positions[i]!.waitingSeconds,
      status: c.status,
      customer: views[i]!.customer,
      conversationId: c.conversationId,
      queuedAt: c.queuedAt.toISOString(),
    })),
    positions,
  };
}
