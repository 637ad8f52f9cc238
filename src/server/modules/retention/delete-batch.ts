import { asc, eq, inArray, or, sql } from "drizzle-orm";
import { ticketReference } from "../../../protocol/ticket";
import { attachments, conversations, outbox, tickets } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import type { BatchOptions } from "./archive-batch";
import { chatsToDelete, ticketsToDelete } from "./retention-rules";

export interface StoredFile {
  storageKey: string;
  size: number;
}

export interface Deleted {
  count: number;
  /** The files of the deleted rows, to remove from disk once the transaction has committed. */
  files: StoredFile[];
}

/**
 * Deletes conversations for good: their messages, participants, attachment rows and tickets go with them
 * (the foreign keys cascade), and so do emails about them still in the outbox, which quote their messages.
 * Answers the files to remove: the caller does that after commit, so a rollback never leaves rows without files.
 */
export async function deleteConversations(
  scope: Scope,
  ids: string[],
  ticketIds: string[] = [],
): Promise<{ deleted: string[]; files: StoredFile[] }> {
  if (!ids.length) return { deleted: [], files: [] };
  const files = await scope.tx
    .select({ storageKey: attachments.storageKey, size: attachments.size })
    .from(attachments)
    .where(inArray(attachments.conversationId, ids));
  await scope.tx.delete(outbox).where(
    or(
      sql`${outbox.metadata} ->> 'conversationId' in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
      ticketIds.length
        ? sql`${outbox.metadata} ->> 'ticketId' in (${sql.join(
            ticketIds.map((id) => sql`${id}`),
            sql`, `,
          )})`
        : undefined,
    ),
  );
  const deleted = await scope.tx
    .delete(conversations)
    .where(inArray(conversations.id, ids))
    .returning({ id: conversations.id });
  return { deleted: deleted.map((d) => d.id), files };
}

/** The bytes a batch frees: what its trail entry and the run's summary report. */
export const bytesOf = (files: StoredFile[]) => files.reduce((n, f) => n + f.size, 0);

/** Deletes up to `limit` of the tenant's archived tickets that are due, with their threads and files. */
export async function deleteTicketBatch(scope: Scope, o: BatchOptions): Promise<Deleted> {
  const due = await scope.tx
    .select({ id: tickets.id, number: tickets.number, conversationId: tickets.conversationId })
    .from(tickets)
    .innerJoin(conversations, eq(conversations.id, tickets.conversationId))
    .where(ticketsToDelete(o.retention))
    .orderBy(asc(tickets.id))
    .limit(o.limit)
    .for("update", { of: conversations, skipLocked: true });
  if (!due.length) return { count: 0, files: [] };
  const { deleted, files } = await deleteConversations(
    scope,
    due.map((t) => t.conversationId),
    due.map((t) => t.id),
  );
  const gone = due.filter((t) => deleted.includes(t.conversationId)).sort((a, b) => a.number - b.number);
  await recordActivity(scope, {
    action: "retention.deleted",
    subjectType: "tenant",
    subjectId: scope.tenantId,
    metadata: {
      what: "tickets",
      count: gone.length,
      references: gone.map((t) => ticketReference(t.number)),
      attachments: files.length,
      bytes: bytesOf(files),
      deleteDays: o.retention.ticketDeleteDays,
      via: o.via,
    },
  });
  return { count: gone.length, files };
}

/** Deletes up to `limit` of the tenant's archived chats that are due, with their messages and files. */
export async function deleteChatBatch(scope: Scope, o: BatchOptions): Promise<Deleted> {
  const due = await scope.tx
    .select({ id: conversations.id, number: conversations.number })
    .from(conversations)
    .where(chatsToDelete(o.retention))
    .orderBy(asc(conversations.id))
    .limit(o.limit)
    .for("update", { skipLocked: true });
  if (!due.length) return { count: 0, files: [] };
  const { deleted, files } = await deleteConversations(
    scope,
    due.map((c) => c.id),
  );
  const numbers = due
    .filter((c) => deleted.includes(c.id))
    .map((c) => c.number)
    .sort((a, b) => a - b);
  await recordActivity(scope, {
    action: "retention.deleted",
    subjectType: "tenant",
    subjectId: scope.tenantId,
    metadata: {
      what: "conversations",
      count: numbers.length,
      numbers,
      attachments: files.length,
      bytes: bytesOf(files),
      deleteDays: o.retention.conversationDeleteDays,
      via: o.via,
    },
  });
  return { count: numbers.length, files };
}
