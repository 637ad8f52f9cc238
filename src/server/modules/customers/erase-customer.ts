import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import {
  apiTokens,
  attachments,
  calls,
  conversations,
  idempotencyKeys,
  messages,
  outbox,
  participants,
  sessions,
  signInLinks,
  tickets,
  users,
} from "../../db/schema";
import { conflict } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { recordActivity } from "../audit/record-activity";
import { deleteConversations } from "../retention/delete-batch";
import { activeChatStatuses, drainQueue, queueChanged } from "../routing/routing";
import { deleteAttachmentFiles } from "../uploads/storage";
import { erasedEmail, erasedName, isErased, loadCustomer } from "./load-customer";

export const erasedMessage = "This message was erased.";

const live = new Set<string>(["queued", ...activeChatStatuses]);

/**
 * Erases a customer (GDPR art. 17). Their support chats and tickets are deleted whole, with every message,
 * rating, attachment and file (staff's replies there are about them too), and so are their calls and recordings;
 * in group chats, where others' words
 * stay, their own messages are emptied and their files removed. Sessions, API tokens, sign-in links, emails
 * waiting for them and stored request replies go. The person's row stays, anonymised and deactivated, so the audit
 * trail's references to it remain valid; the audit trail itself is kept, as the law that requires it says.
 * Erasing twice is a conflict: there is nothing left to erase.
 */
export async function eraseCustomer(scope: Scope, id: string, dataDir: string) {
  const person = await loadCustomer(scope, id, { forUpdate: true });
  if (isErased(person)) throw conflict("This customer's data was already erased.");

  const theirTickets = await scope.tx
    .select({ id: tickets.id, conversationId: tickets.conversationId })
    .from(tickets)
    .where(eq(tickets.customerId, id));
  const threads = theirTickets.map((t) => t.conversationId);
  const own = await scope.tx
    .select({ id: conversations.id, status: conversations.status })
    .from(conversations)
    .where(
      or(eq(conversations.customerId, id), threads.length ? inArray(conversations.id, threads) : undefined),
    )
    .for("update");
  const removed = await deleteConversations(
    scope,
    own.map((c) => c.id),
    theirTickets.map((t) => t.id),
  );

  // Their calls' records and recordings.
  const theirCalls = await scope.tx
    .delete(calls)
    .where(eq(calls.customerId, id))
    .returning({ recordingId: calls.recordingId });
  const recordingIds = theirCalls.flatMap((c) => (c.recordingId ? [c.recordingId] : []));
  const recordings = recordingIds.length
    ? await scope.tx
        .delete(attachments)
        .where(inArray(attachments.id, recordingIds))
        .returning({ storageKey: attachments.storageKey, size: attachments.size })
    : [];

  const sentElsewhere = scope.tx.select({ id: messages.id }).from(messages).where(eq(messages.senderId, id));
  const strayFiles = await scope.tx
    .delete(attachments)
    .where(
      or(
        inArray(attachments.messageId, sentElsewhere),
        and(eq(attachments.uploaderId, id), isNull(attachments.messageId)),
      ),
    )
    .returning({ storageKey: attachments.storageKey, size: attachments.size });
  const emptied = await scope.tx
    .update(messages)
    .set({ body: erasedMessage, senderName: erasedName, masked: [], mentions: [], editedAt: new Date() })
    .where(eq(messages.senderId, id))
    .returning({ id: messages.id });
  await scope.tx.delete(participants).where(eq(participants.userId, id));
  const endedSessions = await scope.tx
    .delete(sessions)
    .where(eq(sessions.userId, id))
    .returning({ id: sessions.id });
  const tokens = await scope.tx
    .delete(apiTokens)
    .where(eq(apiTokens.userId, id))
    .returning({ id: apiTokens.id });
  const links = await scope.tx
    .delete(signInLinks)
    .where(eq(signInLinks.userId, id))
    .returning({ id: signInLinks.id });
  const mail = await scope.tx
    .delete(outbox)
    .where(
      or(
        sql`lower(${outbox.recipient}) = lower(${person.email})`,
        sql`${outbox.metadata} ->> 'userId' = ${id}`,
      ),
    )
    .returning({ id: outbox.id });
  await scope.tx.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, id));
  const now = new Date();
  await scope.tx
    .update(users)
    .set({
      name: erasedName,
      email: erasedEmail(id),
      passwordHash: null,
      status: "deactivated",
      availability: "offline",
      availabilityUntil: null,
      leadStatus: null,
      externalId: null,
      lastSeenAt: null,
      updatedAt: now,
    })
    .where(eq(users.id, id));

  // A waiting or running chat of theirs is gone: its agent has room, and the queue moved.
  if (own.some((c) => live.has(c.status))) {
    await drainQueue(scope);
    queueChanged(scope);
  }
  const files = [...removed.files, ...recordings, ...strayFiles];
  const deleted = {
    conversations: removed.deleted.length,
    tickets: theirTickets.filter((t) => removed.deleted.includes(t.conversationId)).length,
    calls: theirCalls.length,
    messagesEmptied: emptied.length,
    attachments: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    sessions: endedSessions.length,
    apiTokens: tokens.length,
    signInLinks: links.length,
    emails: mail.length,
  };
  // Named so that the audit trail's filter of secret-looking keys ("token") keeps the count.
  const { apiTokens: apiKeys, ...counts } = deleted;
  await recordActivity(scope, {
    action: "customer.erased",
    subjectType: "user",
    subjectId: id,
    metadata: { ...counts, apiKeys },
  });
  // Their open sockets close with their sessions.
  scope.afterCommit(() => scope.realtime?.disconnect(rooms.user(id)));
  // Only once the rows are gone for good: a rollback must not leave rows whose files were removed.
  scope.afterCommit(() =>
    deleteAttachmentFiles(
      files.map((f) => f.storageKey),
      dataDir,
    ).then(() => undefined),
  );
  return { id, erasedAt: now.toISOString(), deleted };
}
