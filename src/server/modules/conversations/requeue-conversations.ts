import { and, eq, inArray } from "drizzle-orm";
import { conversations } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { postSystemMessage } from "../messages/append-message";
import { activeChatStatuses, drainQueue, queueChanged } from "../routing/routing";
import { announceConversation } from "./conversation.events";

/** The ongoing chats someone holds, locked: taken before the routing lock, as routing's lock order wants. */
export function heldChats(scope: Scope, agentId: string) {
  return scope.tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.assigneeId, agentId),
        eq(conversations.kind, "support"),
        inArray(conversations.status, [...activeChatStatuses]),
      ),
    )
    .for("update");
}

/**
 * An agent who leaves (deactivated) hands every ongoing chat back to the queue, each told in its thread, and the
 * queue drains to whoever has room. The caller holds the routing lock, so nothing new reaches them meanwhile.
 */
export async function requeueChatsOf(scope: Scope, agent: { id: string; name: string }): Promise<number> {
  const held = await heldChats(scope, agent.id);
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
  if (held.length) {
    queueChanged(scope);
    await drainQueue(scope);
  }
  return held.length;
}
