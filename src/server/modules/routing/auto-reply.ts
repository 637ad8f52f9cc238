import { isOpenAt, nextOpening } from "../../../protocol/business-hours";
import type { Settings } from "../../../protocol/settings";
import { type conversations, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { postSystemMessage } from "../messages/append-message";
import { frontLine } from "./routing";

type ConversationRow = typeof conversations.$inferSelect;

/**
 * A new chat nobody could take at once, outside business hours or with nobody online, gets one automatic reply
 * saying what happens next. A chat that is merely waiting for a busy agent gets its place in the queue instead.
 */
export async function autoReply(
  scope: Scope,
  row: ConversationRow,
  settings: Settings,
): Promise<ConversationRow> {
  if (row.kind !== "support" || row.status !== "queued" || row.autoRepliedAt) return row;
  const now = new Date();
  let text: string;
  if (!isOpenAt(settings.businessHours, now)) {
    const opens = nextOpening(settings.businessHours, now);
    text = `Thanks for your message. We are closed right now${opens ? ` and open again ${opens}` : ""}. Your chat stays in the queue: add anything that helps here, and we will answer as soon as we are back. If you leave, the answer reaches you by email.`;
  } else {
    const [someone] = await scope.tx
      .select({ id: users.id })
      .from(users)
      .where(frontLine(["online", "away"]))
      .limit(1);
    if (someone) return row;
    text =
      "Thanks for your message. Nobody is available right now. Your chat is in the queue and the first agent who comes online will answer. If you leave, the answer reaches you by email.";
  }
  return postSystemMessage(scope, row, text, { autoRepliedAt: now }, "bot");
}
