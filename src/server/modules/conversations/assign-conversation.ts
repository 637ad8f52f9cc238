import { and, count, eq, inArray } from "drizzle-orm";
import type { Conversation } from "../../../protocol/conversation";
import { can, isStaff } from "../../../protocol/roles";
import { conversations, participants, users } from "../../db/schema";
import { conflict, forbidden, invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { recordActivity } from "../audit/record-activity";
import { maskSensitive } from "../masking/mask";
import { type Appended, appendMessage, postSystemMessage } from "../messages/append-message";
import { presentMessage } from "../messages/message.presenter";
import { announceConversation, announceMessage } from "./conversation.events";
import type { Viewer } from "./conversation.policy";
import { presentConversation } from "./conversation.presenter";
import { loadConversationForUpdate } from "./load-conversation";

/** Conversations that count against an agent's maxChats. */
export const activeChatStatuses = ["open", "pending", "escalated"] as const;

export async function openChatCounts(scope: Scope, agentIds: string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map();
  const rows = await scope.tx
    .select({ id: conversations.assigneeId, n: count() })
    .from(conversations)
    .where(
      and(
        inArray(conversations.assigneeId, agentIds),
        eq(conversations.kind, "support"),
        inArray(conversations.status, [...activeChatStatuses]),
      ),
    )
    .groupBy(conversations.assigneeId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

/**
 * Pickup (an agent takes a queued chat), transfer (the holder hands it on) and reassignment (team leads and
 * above). The new assignee's row is locked while their load is counted, so two assignments cannot both take the
 * last free place; the conversation's row lock means two agents cannot take the same chat.
 */
export async function assignConversation(
  scope: Scope,
  actor: Viewer & { name: string },
  id: string,
  input: { assigneeId: string; note?: string | undefined },
): Promise<Conversation> {
  const note = input.note ? maskSensitive(input.note).text : undefined;
  const { row } = await loadConversationForUpdate(scope, actor, id);
  if (row.kind !== "support") throw invalid({ id: "only support chats are assigned" });
  if (row.status === "closed" || row.status === "archived" || row.status === "resolved") {
    throw conflict(`A ${row.status} conversation cannot be assigned.`);
  }
  const self = input.assigneeId === actor.id;
  const pickup = self && row.status === "queued" && !row.assigneeId;
  const transfer = row.assigneeId === actor.id;
  if (
    !can(actor.role, "chats.reassign") &&
    !(pickup && can(actor.role, "chats.pickup")) &&
    !(transfer && can(actor.role, "chats.transfer"))
  ) {
    throw row.assigneeId && self
      ? conflict("Someone else has already taken this chat.")
      : forbidden("You cannot assign this chat.");
  }
  if (row.assigneeId === input.assigneeId) return presentConversation(scope, actor, row);
  const [agent] = await scope.tx.select().from(users).where(eq(users.id, input.assigneeId)).for("update");
  if (!agent || !isStaff(agent.role) || agent.status !== "active")
    throw invalid({ assigneeId: "must be active staff of this tenant" });
  const load = (await openChatCounts(scope, [agent.id])).get(agent.id) ?? 0;
  if (load >= agent.maxChats)
    throw conflict(`${agent.name} has no room for another chat (${load} of ${agent.maxChats}).`);

  const now = new Date();
  await scope.tx
    .insert(participants)
    .values({ conversationId: row.id, userId: agent.id, tenantId: row.tenantId, role: "agent" })
    .onConflictDoUpdate({
      target: [participants.conversationId, participants.userId],
      set: { leftAt: null, role: "agent" },
    });
  const text = row.assigneeId
    ? `The chat was transferred to ${agent.name}.`
    : `${agent.name} joined the chat.`;
  let conversation = await postSystemMessage(scope, row, text, {
    assigneeId: agent.id,
    assignedAt: now,
    status: row.status === "queued" ? "open" : row.status,
  });
  await recordActivity(scope, {
    action: pickup
      ? "conversation.picked_up"
      : row.assigneeId
        ? "conversation.transferred"
        : "conversation.assigned",
    subjectType: "conversation",
    subjectId: row.id,
    oldValue: { assigneeId: row.assigneeId, status: row.status },
    newValue: { assigneeId: agent.id, status: conversation.status },
    metadata: note ? { note } : {},
  });
  if (note) {
    // The transfer note is for staff only: an internal note in the thread.
    const appended = (await appendMessage(scope, conversation, {
      senderId: actor.id,
      senderType: "staff",
      senderName: actor.name,
      body: note,
      internal: true,
    })) as Appended;
    announceMessage(scope, presentMessage(appended.message), appended.members);
    conversation = appended.conversation;
  }
  await announceConversation(scope, conversation, "conversation:assigned");
  scope.afterCommit(() => {
    scope.realtime?.join(rooms.user(agent.id), rooms.conversation(row.id));
    scope.realtime?.join(rooms.user(agent.id), rooms.conversationStaff(row.id));
  });
  return presentConversation(scope, actor, conversation);
}
