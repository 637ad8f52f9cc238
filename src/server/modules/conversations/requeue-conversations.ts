import { and, eq, inArray } from "drizzle-orm";
import { conversations } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { postSystemMessage } from "../messages/append-message";
import { activeChatStatuses } from "./assign-conversation";
import { announceConversation } from "./conversation.events";

/** An agent who leaves (deactivated) hands every ongoing chat back to the queue, each told in its thread. */
export async function requeueChatsOf(scope: Scope, agent: { id: string; name: string }): Promise<number> {
  const held = await scope.tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.assigneeId, agent.id),
        eq(conversations.kind, "support"),
        inArray(conversations.status, [...activeChatStatuses]),
      ),
    )
    .for("update");
  const now = new Date();
  for (const row of held) {
    const conversation = await postSystemMessage(
      scope,
      row,
      `${agent.name} is no longer available. The chat is back in the queue.`,
      { assigneeId: null, assignedAt: null, status: "queued", queuedAt: now },
    );
    await recordActivity(scope, {
      action: "conversation.requeued",
      subjectType: "conversation",
      subjectId: row.id,
      oldValue: { assigneeId: row.assigneeId, status: row.status },
      newValue: { assigneeId: null, status: "queued" },
    });
    await announceConversation(scope, conversation);
  }
  return held.length;
}
