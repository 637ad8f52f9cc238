import type { MessageView } from "../../../protocol/events";
import type { conversations, participants } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { presentConversation } from "./conversation.presenter";

type Row = typeof conversations.$inferSelect;

/** A current participant of a conversation, as appending a message found them (offline mail reuses the list). */
export interface Member {
  userId: string;
  customer: boolean;
  participation: (typeof participants.$inferSelect)["role"];
  /** The account is active (not deactivated). */
  active: boolean;
}

/**
 * A new message goes to the conversation's room and to its participants wherever they are in the app (unread
 * badges); internal notes only to the staff room and staff participants. A socket in several of these rooms
 * gets the message once. Sent after commit.
 */
export function announceMessage(scope: Scope, message: MessageView, members: Member[]): void {
  const targets = [
    message.internal
      ? rooms.conversationStaff(message.conversationId)
      : rooms.conversation(message.conversationId),
    ...members.filter((m) => !message.internal || !m.customer).map((m) => rooms.user(m.userId)),
  ];
  scope.afterCommit(() => scope.realtime?.emit(targets, "message:new", { message }));
}

/**
 * A conversation changed (status, assignment, escalation): its room, the tenant's staff (inboxes and queue) and
 * its customer, wherever they are in the app. Presented now, inside the transaction; sent after commit.
 */
export async function announceConversation(
  scope: Scope,
  row: Row,
  event: "conversation:updated" | "conversation:assigned" = "conversation:updated",
) {
  const conversation = await presentConversation(scope, null, row);
  const targets = [rooms.conversation(row.id), rooms.tenantStaff(row.tenantId)];
  if (row.customerId) targets.push(rooms.user(row.customerId));
  scope.afterCommit(() => scope.realtime?.emit(targets, event, { conversation }));
  if (event === "conversation:assigned" && row.assigneeId) {
    scope.afterCommit(() =>
      scope.realtime?.emit(rooms.user(row.assigneeId!), "conversation:assigned", { conversation }),
    );
  }
}
