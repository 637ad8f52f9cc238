import { eq } from "drizzle-orm";
import type { Conversation } from "../../../protocol/conversation";
import { conversations } from "../../db/schema";
import { conflict, forbidden } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { maskSensitive } from "../masking/mask";
import { announceConversation } from "./conversation.events";
import { conversationPolicy, type Viewer } from "./conversation.policy";
import { presentConversation } from "./conversation.presenter";
import { loadConversationForUpdate } from "./load-conversation";

/** The customer rates a resolved or closed chat, once. */
export async function rateConversation(
  scope: Scope,
  viewer: Viewer,
  id: string,
  input: { score: number; comment?: string | undefined },
): Promise<Conversation> {
  const { row } = await loadConversationForUpdate(scope, viewer, id);
  if (row.customerId !== viewer.id) throw forbidden("Only the customer rates a conversation.");
  if (row.kind === "ticket") throw conflict("Rate the ticket this thread belongs to.");
  if (!conversationPolicy.rate(viewer, row))
    throw conflict("A conversation is rated once it is resolved or closed.");
  if (row.rating !== null) throw conflict("This conversation has been rated already.");
  const feedback = input.comment ? maskSensitive(input.comment).text : null;
  const [after] = await scope.tx
    .update(conversations)
    .set({ rating: input.score, feedback, updatedAt: new Date() })
    .where(eq(conversations.id, row.id))
    .returning();
  await recordActivity(scope, {
    action: "conversation.rated",
    subjectType: "conversation",
    subjectId: row.id,
    newValue: { rating: input.score, feedback },
  });
  await announceConversation(scope, after!);
  return presentConversation(scope, viewer, after!);
}
