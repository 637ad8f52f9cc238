import { and, eq, isNull, ne } from "drizzle-orm";
import type { MessageView } from "../../../protocol/events";
import { participants, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { offlineMailerOf } from "./offline-mailer";

/**
 * Called by sendMessage once the message is announced: after commit, everyone in the conversation who may see it
 * and has no connected socket gets it by email (batched). Observers only looked at the chat once, so they are not
 * mailed; system notices mail nobody.
 */
export async function notifyOffline(scope: Scope, tenantId: string, message: MessageView): Promise<void> {
  if (message.sender.type === "system") return;
  const mailer = offlineMailerOf(scope.realtime);
  if (!mailer) return;
  const members = await scope.tx
    .select({ userId: participants.userId, role: users.role })
    .from(participants)
    .innerJoin(users, eq(users.id, participants.userId))
    .where(
      and(
        eq(participants.conversationId, message.conversationId),
        isNull(participants.leftAt),
        ne(participants.role, "observer"),
        eq(users.status, "active"),
      ),
    );
  const audience = members
    .filter((m) => m.userId !== message.sender.id && !(message.internal && m.role === "customer"))
    .map((m) => m.userId);
  if (!audience.length) return;
  scope.afterCommit(() => mailer.schedule(tenantId, message.conversationId, audience));
}
