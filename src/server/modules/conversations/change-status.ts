import type { Conversation } from "../../../protocol/conversation";
import type { ConversationStatus } from "../../../protocol/enums";
import type { conversations } from "../../db/schema";
import { conflict, forbidden } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { maskSensitive } from "../masking/mask";
import { postSystemMessage } from "../messages/append-message";
import { afterStatusChange, comeBack, lockRouting } from "../routing/routing";
import { mailChatRatingRequest } from "../tickets/ticket-mail";
import { announceConversation } from "./conversation.events";
import { conversationPolicy, type Viewer } from "./conversation.policy";
import { presentConversation } from "./conversation.presenter";
import { loadConversationForUpdate } from "./load-conversation";
import { notifyEscalation } from "./notify-escalation";

export type StatusAction = "resolve" | "close" | "reopen" | "pending" | "escalate";

const from: Record<StatusAction, ConversationStatus[]> = {
  resolve: ["queued", "open", "pending", "escalated"],
  close: ["queued", "open", "pending", "escalated", "resolved"],
  reopen: ["resolved", "closed"],
  pending: ["open", "escalated"],
  escalate: ["queued", "open", "pending"],
};
const verb: Record<StatusAction, string> = {
  resolve: "resolved the conversation",
  close: "closed the conversation",
  reopen: "reopened the conversation",
  pending: "is waiting for your reply",
  escalate: "escalated the conversation",
};

/** One status change: checked, stored, told in the thread as a system message, audited and announced. */
export async function changeStatus(
  scope: Scope,
  actor: Viewer & { name: string },
  id: string,
  action: StatusAction,
  rawReason?: string,
): Promise<Conversation> {
  const reason = rawReason ? maskSensitive(rawReason).text : undefined;
  const { row } = await loadConversationForUpdate(scope, actor, id);
  if (row.kind === "ticket") throw conflict("This thread belongs to a ticket: change the ticket's status.");
  // A support chat's status decides who has room: routing's lock comes before the audit trail's.
  if (row.kind === "support") await lockRouting(scope);
  const allowed =
    action === "close"
      ? conversationPolicy.close(actor, row)
      : action === "escalate"
        ? conversationPolicy.escalate(actor, row)
        : conversationPolicy.changeStatus(actor, row);
  if (!allowed) throw forbidden("You cannot change this conversation's status.");
  if (!from[action].includes(row.status)) {
    throw conflict(
      `A ${row.status} conversation cannot be ${action === "pending" ? "set to pending" : `${action}d`}.`,
    );
  }
  const now = new Date();
  const touch: Partial<typeof conversations.$inferInsert> =
    action === "resolve"
      ? { status: "resolved", resolvedAt: now }
      : action === "close"
        ? { status: "closed", closedAt: now, resolvedAt: row.resolvedAt ?? now }
        : action === "pending"
          ? { status: "pending" }
          : action === "escalate"
            ? { status: "escalated", escalatedAt: now }
            : { ...(await comeBack(scope, row)), resolvedAt: null, closedAt: null };
  const status = touch.status!;
  const changed = await postSystemMessage(scope, row, `${actor.name} ${verb[action]}.`, touch);
  await recordActivity(scope, {
    action: `conversation.${action === "pending" ? "pending" : `${action}d`}`,
    subjectType: "conversation",
    subjectId: row.id,
    oldValue: { status: row.status },
    newValue: { status },
    metadata: reason ? { reason } : {},
  });
  await announceConversation(scope, changed);
  const conversation = await afterStatusChange(scope, row, changed);
  await mailChatRatingRequest(scope, row, conversation);
  if (action === "escalate") await notifyEscalation(scope, conversation, actor.name, reason ?? "");
  return presentConversation(scope, actor, conversation);
}
