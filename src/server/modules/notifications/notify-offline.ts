import type { MessageView } from "../../../protocol/events";
import type { Scope } from "../../lib/scope";
import type { Member } from "../conversations/conversation.events";

/**
 * Called by sendMessage once the message is announced: after commit, everyone in the conversation who may see it
 * and has no connected socket gets it by email (batched). Observers only looked at the chat once, so they are not
 * mailed; notices and automatic replies mail nobody.
 */
export function notifyOffline(scope: Scope, tenantId: string, message: MessageView, members: Member[]): void {
  if (message.sender.type === "system" || message.sender.type === "bot") return;
  const mailer = scope.services?.offlineMail;
  if (!mailer) return;
  const audience = members
    .filter((m) => m.participation !== "observer" && m.active)
    .filter((m) => m.userId !== message.sender.id && !(message.internal && m.customer))
    .map((m) => m.userId);
  if (!audience.length) return;
  scope.afterCommit(() => mailer.schedule(tenantId, message.conversationId, audience));
}
