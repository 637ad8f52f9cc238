import { and, count, eq, inArray, isNull, type SQL, sql, sum } from "drizzle-orm";
import type { Settings } from "../../../protocol/settings";
import type { Tx } from "../../db/client";
import { attachments, calls, conversations, tickets } from "../../db/schema";
import { callsToDelete } from "./delete-calls";

/**
 * Which rows retention takes, as query filters shared by the counts (dry runs, progress) and the batches, so a
 * dry run reports exactly what a run would do. Ages are measured by the database's clock.
 *
 * - A ticket is archived once resolved or closed for `ticketArchiveDays`, and deleted `ticketDeleteDays` after
 *   it was archived. Its thread (a ticket's own, or the chat it was opened from) follows it: archived and
 *   deleted with it, never on its own.
 * - Support and group chats likewise, by `conversationArchiveDays` and `conversationDeleteDays`. Internal team
 *   channels and threads with the platform are never closed, so retention leaves them alone.
 * - Ended calls are deleted `conversationDeleteDays` after they ended, with their recordings (delete-calls.ts).
 */

export type Retention = Settings["retention"];

const chatKinds = ["support", "group"] as const;
const endedStatuses = ["resolved", "closed"] as const;

const olderThan = (at: SQL, days: number) => sql`${at} < now() - make_interval(days => ${days}::int)`;

/**
 * When it ended: a closed one when it was closed, a resolved one when it was resolved (closing also sets the
 * resolution time, so the later of the two is not the point); a row missing both counts from its last update.
 */
const ended = (t: typeof tickets | typeof conversations) =>
  sql`coalesce(case when ${t.status} = 'closed' then coalesce(${t.closedAt}, ${t.resolvedAt}) else ${t.resolvedAt} end, ${t.updatedAt})`;

export const ticketsToArchive = (r: Retention) =>
  and(
    inArray(tickets.status, [...endedStatuses]),
    isNull(tickets.archivedAt),
    olderThan(ended(tickets), r.ticketArchiveDays),
  )!;

export const ticketsToDelete = (r: Retention) => olderThan(sql`${tickets.archivedAt}`, r.ticketDeleteDays);

/** A chat that is some ticket's thread lives and dies with that ticket. */
const noTicket = sql`not exists (select 1 from ${tickets} where ${tickets.conversationId} = ${conversations.id})`;

export const chatsToArchive = (r: Retention) =>
  and(
    inArray(conversations.kind, [...chatKinds]),
    inArray(conversations.status, [...endedStatuses]),
    noTicket,
    olderThan(ended(conversations), r.conversationArchiveDays),
  )!;

export const chatsToDelete = (r: Retention) =>
  and(
    inArray(conversations.kind, [...chatKinds]),
    eq(conversations.status, "archived"),
    noTicket,
    olderThan(
      sql`coalesce(${conversations.archivedAt}, ${conversations.updatedAt})`,
      r.conversationDeleteDays,
    ),
  )!;

export interface Counts {
  archivedTickets: number;
  archivedConversations: number;
  deletedTickets: number;
  deletedConversations: number;
  deletedCalls: number;
  deletedAttachments: number;
  bytesFreed: number;
}

export const noCounts = (): Counts => ({
  archivedTickets: 0,
  archivedConversations: 0,
  deletedTickets: 0,
  deletedConversations: 0,
  deletedCalls: 0,
  deletedAttachments: 0,
  bytesFreed: 0,
});

/** What a run would do in the transaction's tenant now, without changing anything. */
export async function countDue(tx: Tx, r: Retention): Promise<Counts> {
  const [archiveTickets] = await tx.select({ n: count() }).from(tickets).where(ticketsToArchive(r));
  const [archiveChats] = await tx.select({ n: count() }).from(conversations).where(chatsToArchive(r));
  const [deleteTickets] = await tx.select({ n: count() }).from(tickets).where(ticketsToDelete(r));
  const [deleteChats] = await tx.select({ n: count() }).from(conversations).where(chatsToDelete(r));
  const [deleteCalls] = await tx.select({ n: count() }).from(calls).where(callsToDelete(r));
  const threadsOfDeleted = tx.select({ id: tickets.conversationId }).from(tickets).where(ticketsToDelete(r));
  const chatsDeleted = tx.select({ id: conversations.id }).from(conversations).where(chatsToDelete(r));
  const recordingsDeleted = tx.select({ id: calls.recordingId }).from(calls).where(callsToDelete(r));
  const [files] = await tx
    .select({ n: count(), bytes: sum(attachments.size) })
    .from(attachments)
    .where(
      sql`${attachments.conversationId} in (${threadsOfDeleted}) or ${attachments.conversationId} in (${chatsDeleted})
          or ${attachments.id} in (${recordingsDeleted})`,
    );
  return {
    archivedTickets: archiveTickets?.n ?? 0,
    archivedConversations: archiveChats?.n ?? 0,
    deletedTickets: deleteTickets?.n ?? 0,
    deletedConversations: deleteChats?.n ?? 0,
    deletedCalls: deleteCalls?.n ?? 0,
    deletedAttachments: files?.n ?? 0,
    bytesFreed: Number(files?.bytes ?? 0),
  };
}
