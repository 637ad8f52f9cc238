import { eq, sql } from "drizzle-orm";
import type { MaskKind, SenderType } from "../../../protocol/enums";
import { conversations, messages, participants } from "../../db/schema";
import type { Scope } from "../../lib/scope";

export interface NewMessage {
  conversationId: string;
  senderId: string | null;
  senderType: SenderType;
  senderName: string;
  /** Already masked. */
  body: string;
  masked?: MaskKind[];
  internal?: boolean;
  clientId?: string | null;
  mentions?: string[];
}

/**
 * Takes the conversation's next seq and inserts the message in the caller's transaction. The update takes the
 * conversation's row lock, so concurrent senders get consecutive seqs, and a rollback gives the number back: no
 * gaps, no duplicates.
 */
export async function appendMessage(
  scope: Scope,
  input: NewMessage,
  touch: Partial<typeof conversations.$inferInsert> = {},
) {
  const now = new Date();
  const [conv] = await scope.tx
    .update(conversations)
    .set({ ...touch, lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: now, updatedAt: now })
    .where(eq(conversations.id, input.conversationId))
    .returning();
  const [message] = await scope.tx
    .insert(messages)
    .values({
      tenantId: conv!.tenantId,
      conversationId: conv!.id,
      seq: conv!.lastSeq,
      clientId: input.clientId ?? null,
      senderId: input.senderId,
      senderType: input.senderType,
      senderName: input.senderName,
      body: input.body,
      masked: input.masked ?? [],
      internal: input.internal ?? false,
      mentions: input.mentions ?? [],
      createdAt: now,
    })
    .returning();
  if (input.senderId) {
    // The sender has read everything up to what they just wrote.
    await scope.tx
      .update(participants)
      .set({ lastReadSeq: sql`greatest(${participants.lastReadSeq}, ${conv!.lastSeq})` })
      .where(
        sql`${participants.conversationId} = ${conv!.id} and ${participants.userId} = ${input.senderId}`,
      );
  }
  return { conversation: conv!, message: message! };
}
