import { and, eq, inArray } from "drizzle-orm";
import { liveCallStatuses } from "../../../protocol/call";
import { calls, conversations } from "../../db/schema";
import { conflict, invalid, notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { lockRouting, queueChanged } from "../routing/routing";
import { showWatchers } from "./call.events";
import { presentCall } from "./call.presenter";
import { offerCalls } from "./call-ring";
import type { Viewer } from "./call-row";

/**
 * A customer calls: the call is queued and rung at once at everyone who can take it. One live call per customer;
 * the routing lock makes that check and the insert one step, so two clicks cannot both start one.
 */
export async function createCall(scope: Scope, viewer: Viewer, body: { conversationId?: string }) {
  if (body.conversationId) {
    const [chat] = await scope.tx
      .select({ customerId: conversations.customerId, kind: conversations.kind })
      .from(conversations)
      .where(eq(conversations.id, body.conversationId));
    if (!chat || chat.customerId !== viewer.id) throw notFound("conversation");
    if (chat.kind !== "support") throw invalid({ conversationId: "must be one of your support chats" });
  }
  await lockRouting(scope);
  const [live] = await scope.tx
    .select({ id: calls.id })
    .from(calls)
    .where(and(eq(calls.customerId, viewer.id), inArray(calls.status, [...liveCallStatuses])))
    .limit(1);
  if (live) throw conflict("You are already in a call. Hang up before calling again.", { callId: live.id });
  const [created] = await scope.tx
    .insert(calls)
    .values({
      tenantId: scope.tenantId!,
      status: "queued",
      customerId: viewer.id,
      conversationId: body.conversationId ?? null,
      queuedAt: new Date(),
    })
    .returning();
  await recordActivity(scope, {
    action: "call.created",
    subjectType: "call",
    subjectId: created!.id,
    newValue: { status: "queued", conversationId: created!.conversationId },
  });
  queueChanged(scope);
  // Watching staff see it queued first; ringing, announced below, comes after it.
  const queued = await presentCall(scope, created!);
  showWatchers(scope, created!.tenantId, queued);
  await offerCalls(scope);
  const [row] = await scope.tx.select().from(calls).where(eq(calls.id, created!.id));
  // Rung for nobody, the call is as it was queued (offering changes only the calls it rings).
  return row!.status === "queued" ? queued : presentCall(scope, row!);
}
