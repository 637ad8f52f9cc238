import { and, eq, param, sql } from "drizzle-orm";
import type { MaskKind, ParticipantRole, SenderType } from "../../../protocol/enums";
import { queryPrepared } from "../../db/client";
import { conversations, type messages } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { announceMessage, type Member } from "../conversations/conversation.events";
import { presentMessage } from "./message.presenter";

type ConversationRow = typeof conversations.$inferSelect;
type MessageRow = typeof messages.$inferSelect;

export interface NewMessage {
  senderId: string | null;
  senderType: SenderType;
  senderName: string;
  /** Already masked. */
  body: string;
  masked?: MaskKind[];
  internal?: boolean;
  clientId?: string | null;
  mentions?: string[];
  /** The sender takes part from now on, in this role, unless they already do. */
  join?: ParticipantRole | undefined;
}

export interface Appended {
  duplicateId: null;
  /** The conversation as it is after the message (the caller's locked row with the changes applied). */
  conversation: ConversationRow;
  message: MessageRow;
  /** Who takes part in the conversation now, for announcing the message. */
  members: Member[];
}

/**
 * Appends a message to a conversation whose row the caller has locked (`row`), in one statement: it takes the
 * next seq (so concurrent senders get consecutive seqs, and a rollback gives the number back: no gaps, no
 * duplicates), applies `touch` to the conversation, inserts the message, marks it read for its sender (who joins if
 * `join` says so) and reads who takes part. A message with the sender's `clientId` already stored wins: nothing
 * changes and its id comes back as `duplicateId`. Under the row lock, a concurrent retry has either committed (and
 * is found, this statement's snapshot being taken after the lock) or has not started.
 */
export async function appendMessage(
  scope: Scope,
  row: ConversationRow,
  input: NewMessage,
  touch: Partial<typeof conversations.$inferInsert> = {},
): Promise<Appended | { duplicateId: string }> {
  const now = new Date();
  const senderId = input.senderId;
  const clientId = senderId ? (input.clientId ?? null) : null;
  const masked = input.masked ?? [];
  const internal = input.internal ?? false;
  const mentions = input.mentions ?? [];
  const update = scope.tx
    .update(conversations)
    .set({ ...touch, lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: now, updatedAt: now })
    .where(and(eq(conversations.id, row.id), sql`not exists (select 1 from dup)`))
    .returning({ id: conversations.id, tenantId: conversations.tenantId, lastSeq: conversations.lastSeq });
  const readMark = !senderId
    ? sql`select 1`
    : input.join
      ? sql`insert into participants (conversation_id, user_id, tenant_id, role, last_read_seq)
          select id, ${senderId}::uuid, tenant_id, ${input.join}::text, last_seq from conv
          on conflict (conversation_id, user_id)
          do update set last_read_seq = greatest(participants.last_read_seq, excluded.last_read_seq)`
      : sql`update participants set last_read_seq = greatest(participants.last_read_seq, conv.last_seq) from conv
          where participants.conversation_id = conv.id and participants.user_id = ${senderId}`;
  const [result] = await queryPrepared<{
    duplicate_id: string | null;
    id: string | null;
    seq: number | null;
    members: Member[];
  }>(
    scope.tx,
    sql`with dup as (
        select id from messages where sender_id = ${senderId} and client_id = ${clientId}
      ),
      conv as (${update.getSQL()}),
      msg as (
        insert into messages
          (tenant_id, conversation_id, seq, client_id, sender_id, sender_type, sender_name, body, masked, internal,
           mentions, created_at)
        select tenant_id, id, last_seq, ${clientId}::text, ${senderId}::uuid, ${input.senderType}::text,
          ${input.senderName}::text, ${input.body}::text, ${param(masked)}::text[], ${internal}::boolean,
          ${param(mentions)}::uuid[], ${now.toISOString()}::timestamptz
        from conv
        returning id, seq
      ),
      read_mark as (${readMark})
      select (select id from dup) as duplicate_id, msg.id, msg.seq,
        (select coalesce(json_agg(json_build_object(
            'userId', p.user_id, 'customer', u.role = 'customer', 'participation', p.role,
            'active', u.status = 'active')), '[]'::json)
          from participants p join users u on u.id = p.user_id
          where p.conversation_id = ${row.id} and p.left_at is null) as members
      from (select 1) one left join msg on true`,
  );
  if (result?.duplicate_id) return { duplicateId: result.duplicate_id };
  if (!result?.id || result.seq === null) throw new Error(`conversation ${row.id} vanished under its lock`);
  const members = result.members;
  if (senderId && input.join && !members.some((m) => m.userId === senderId)) {
    // The statement's own insert is not visible to its read of the participants.
    members.push({
      userId: senderId,
      customer: input.join === "customer",
      participation: input.join,
      active: true,
    });
  }
  return {
    duplicateId: null,
    conversation: {
      ...row,
      ...touch,
      lastSeq: result.seq,
      lastMessageAt: now,
      updatedAt: now,
    } as ConversationRow,
    message: {
      id: result.id,
      tenantId: row.tenantId,
      conversationId: row.id,
      seq: result.seq,
      clientId,
      senderId,
      senderType: input.senderType,
      senderName: input.senderName,
      body: input.body,
      masked,
      internal,
      mentions,
      createdAt: now,
      editedAt: null,
      search: null,
    },
    members,
  };
}

/**
 * A notice from Switchboard in the thread (a status change, an assignment…; as "bot", an automatic reply),
 * announced to everyone in it after commit. Returns the conversation as it is afterwards.
 */
export async function postSystemMessage(
  scope: Scope,
  row: ConversationRow,
  body: string,
  touch: Partial<typeof conversations.$inferInsert> = {},
  senderType: "system" | "bot" = "system",
): Promise<ConversationRow> {
  const appended = (await appendMessage(
    scope,
    row,
    { senderId: null, senderType, senderName: "Switchboard", body },
    touch,
  )) as Appended;
  announceMessage(scope, presentMessage(appended.message), appended.members);
  return appended.conversation;
}
