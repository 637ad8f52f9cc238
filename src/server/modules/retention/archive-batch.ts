import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { ticketReference } from "../../../protocol/ticket";
import { conversations, tickets } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivities, recordActivity } from "../audit/record-activity";
import { chatsToArchive, type Retention, ticketsToArchive } from "./retention-rules";

export interface BatchOptions {
  retention: Retention;
  limit: number;
  /** What started the run, for the audit trail: the server's schedule or the command line. */
  via: "schedule" | "cli";
}

/**
 * Archives up to `limit` of the tenant's tickets that are due, with their threads, in the scope's transaction.
 * Rows someone else holds are skipped (the next run gets them). Threads are locked before tickets, the order
 * every path that writes in a ticket's thread takes, so a reply arriving meanwhile cannot deadlock with this.
 */
export async function archiveTicketBatch(scope: Scope, o: BatchOptions): Promise<number> {
  const due = await scope.tx
    .select({ id: tickets.id })
    .from(tickets)
    .innerJoin(conversations, eq(conversations.id, tickets.conversationId))
    .where(ticketsToArchive(o.retention))
    .orderBy(asc(tickets.id))
    .limit(o.limit)
    .for("update", { of: conversations, skipLocked: true });
  if (!due.length) return 0;
  const now = new Date();
  // The condition again: a ticket reopened since the select above is no longer due.
  const archived = await scope.tx
    .update(tickets)
    .set({ archivedAt: now, updatedAt: now })
    .where(
      and(
        inArray(
          tickets.id,
          due.map((d) => d.id),
        ),
        ticketsToArchive(o.retention),
      ),
    )
    .returning({ id: tickets.id, number: tickets.number, conversationId: tickets.conversationId });
  if (!archived.length) return 0;
  await scope.tx
    .update(conversations)
    .set({ status: "archived", archivedAt: now, updatedAt: now })
    .where(
      and(
        inArray(
          conversations.id,
          archived.map((t) => t.conversationId),
        ),
        ne(conversations.status, "archived"),
      ),
    );
  archived.sort((a, b) => a.number - b.number);
  // Each ticket's own trail shows it was archived (as recordTicketActivity writes it), then the batch's entry.
  await recordActivities(scope, [
    ...archived.map((t) => ({
      action: "ticket.archived",
      subjectType: "ticket",
      subjectId: t.id,
      metadata: { reference: ticketReference(t.number), archiveDays: o.retention.ticketArchiveDays },
    })),
    {
      action: "retention.archived",
      subjectType: "tenant",
      subjectId: scope.tenantId,
      metadata: {
        what: "tickets",
        count: archived.length,
        references: archived.map((t) => ticketReference(t.number)),
        archiveDays: o.retention.ticketArchiveDays,
        via: o.via,
      },
    },
  ]);
  return archived.length;
}

/** Archives up to `limit` of the tenant's support and group chats that are due: they become read-only. */
export async function archiveChatBatch(scope: Scope, o: BatchOptions): Promise<number> {
  const due = await scope.tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(chatsToArchive(o.retention))
    .orderBy(asc(conversations.id))
    .limit(o.limit)
    .for("update", { skipLocked: true });
  if (!due.length) return 0;
  const now = new Date();
  const archived = await scope.tx
    .update(conversations)
    .set({ status: "archived", archivedAt: now, updatedAt: now })
    .where(
      inArray(
        conversations.id,
        due.map((d) => d.id),
      ),
    )
    .returning({ number: conversations.number });
  await recordActivity(scope, {
    action: "retention.archived",
    subjectType: "tenant",
    subjectId: scope.tenantId,
    metadata: {
      what: "conversations",
      count: archived.length,
      numbers: archived.map((c) => c.number).sort((a, b) => a - b),
      archiveDays: o.retention.conversationArchiveDays,
      via: o.via,
    },
  });
  return archived.length;
}
