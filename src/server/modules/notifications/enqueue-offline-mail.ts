import { and, asc, count, desc, eq, gt, isNull, max, ne, notInArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client";
import { conversations, messages, outbox, participants, users } from "../../db/schema";
import { composeOfflineMail, quotedMessages } from "./offline-mail.template";
import { type OutboxRow, waitingToSend } from "./outbox-delivery";

export const offlineMailKind = "conversation.offline";

/** What an offline-mail row covers: messages after fromSeq - 1, up to toSeq, of one conversation for one person. */
const offlineMailMeta = z.object({
  conversationId: z.string(),
  userId: z.string(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
});
type OfflineMailMeta = z.infer<typeof offlineMailMeta>;

export interface OfflineMailOptions {
  batchSeconds: number;
  publicUrl: string;
}

type Recipient = NonNullable<Awaited<ReturnType<typeof lockRecipient>>>;

/**
 * Puts the conversation's unmailed, unread messages into one pending email for this person: the pending one is
 * rewritten if there is one, so a burst becomes a single email sent a batch window after its first message.
 * Runs in the conversation's tenant, after the message committed.
 */
export async function enqueueOfflineMail(
  tx: Tx,
  conversationId: string,
  userId: string,
  options: OfflineMailOptions,
): Promise<"queued" | "merged" | "nothing"> {
  const recipient = await lockRecipient(tx, conversationId, userId);
  if (!recipient) return "nothing";
  const [pending] = await tx
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.kind, offlineMailKind),
        waitingToSend,
        sql`${outbox.metadata} @> ${JSON.stringify({ conversationId, userId })}::jsonb`,
      ),
    )
    .limit(1);
  const batch = pending ? offlineMailMeta.safeParse(pending.metadata).data : undefined;
  if (pending && batch) {
    const merged = await writeBatch(tx, recipient, batch.fromSeq - 1, options, pending);
    // A worker may have claimed the pending email meanwhile; the new messages then start a batch of their own.
    if (merged !== "gone") return merged === "written" ? "merged" : "nothing";
  }
  const fresh = await writeBatch(tx, recipient, recipient.notifiedSeq, options);
  return fresh === "written" ? "queued" : "nothing";
}

/** Mailed or read messages are not mailed again: a due email whose messages were all read is dropped. */
export async function offlineMailStillUnread(tx: Tx, row: OutboxRow): Promise<boolean> {
  const meta = offlineMailMeta.safeParse(row.metadata);
  if (!meta.success) return true;
  const [p] = await tx
    .select({ lastReadSeq: participants.lastReadSeq, leftAt: participants.leftAt })
    .from(participants)
    .where(
      and(
        eq(participants.conversationId, meta.data.conversationId),
        eq(participants.userId, meta.data.userId),
      ),
    );
  return !!p && !p.leftAt && p.lastReadSeq < meta.data.toSeq;
}

/**
 * The participant's row lock serializes the after-commit work of a burst (it runs concurrently), so two messages
 * cannot both find no pending email and queue two, and notifiedSeq is read and moved under it.
 */
function lockRecipient(tx: Tx, conversationId: string, userId: string) {
  return tx
    .select({
      conversationId: participants.conversationId,
      userId: participants.userId,
      tenantId: participants.tenantId,
      lastReadSeq: participants.lastReadSeq,
      notifiedSeq: participants.notifiedSeq,
      email: users.email,
      name: users.name,
      role: users.role,
      number: conversations.number,
      subject: conversations.subject,
    })
    .from(participants)
    .innerJoin(users, eq(users.id, participants.userId))
    .innerJoin(conversations, eq(conversations.id, participants.conversationId))
    .where(
      and(
        eq(participants.conversationId, conversationId),
        eq(participants.userId, userId),
        isNull(participants.leftAt),
      ),
    )
    .for("update", { of: participants })
    .then((rows) => rows[0]);
}

async function writeBatch(
  tx: Tx,
  r: Recipient,
  afterSeq: number,
  options: OfflineMailOptions,
  pending?: OutboxRow,
): Promise<"written" | "nothing" | "gone"> {
  const customer = r.role === "customer";
  const since = Math.max(afterSeq, r.lastReadSeq);
  // What a person would want by email: never notices or automatic replies (they were written for the live
  // chat), nor their own words, and internal notes only for staff.
  const visible: SQL = and(
    eq(messages.conversationId, r.conversationId),
    gt(messages.seq, since),
    notInArray(messages.senderType, ["system", "bot"]),
    or(isNull(messages.senderId), ne(messages.senderId, r.userId)),
    customer ? eq(messages.internal, false) : undefined,
  )!;
  const [stats] = await tx
    .select({ total: count(), newest: max(messages.seq) })
    .from(messages)
    .where(visible);
  const newest = stats?.newest ?? 0;
  if (newest <= r.notifiedSeq) return "nothing";

  const latest = await tx
    .select({ senderName: messages.senderName, body: messages.body })
    .from(messages)
    .where(visible)
    .orderBy(desc(messages.seq))
    .limit(quotedMessages);
  const senders = await tx
    .select({ name: messages.senderName })
    .from(messages)
    .where(visible)
    .groupBy(messages.senderName)
    .orderBy(asc(sql`min(${messages.seq})`));
  const mail = composeOfflineMail({
    recipientName: r.name,
    audience: customer ? "customer" : "staff",
    conversation: { id: r.conversationId, number: r.number, subject: r.subject },
    senders: senders.map((s) => s.name),
    total: stats?.total ?? 0,
    quoted: latest.reverse(),
    publicUrl: options.publicUrl,
  });
  const metadata: OfflineMailMeta = {
    conversationId: r.conversationId,
    userId: r.userId,
    fromSeq: afterSeq + 1,
    toSeq: newest,
  };
  if (pending) {
    const updated = await tx
      .update(outbox)
      .set({ recipient: r.email, subject: mail.subject, body: mail.body, metadata })
      .where(and(eq(outbox.id, pending.id), waitingToSend))
      .returning({ id: outbox.id });
    if (!updated.length) return "gone";
  } else {
    await tx.insert(outbox).values({
      tenantId: r.tenantId,
      kind: offlineMailKind,
      recipient: r.email,
      subject: mail.subject,
      body: mail.body,
      metadata,
      sendAfter: sql`now() + ${options.batchSeconds}::float8 * interval '1 second'`,
    });
  }
  await tx
    .update(participants)
    .set({ notifiedSeq: newest })
    .where(and(eq(participants.conversationId, r.conversationId), eq(participants.userId, r.userId)));
  return "written";
}
