import { and, desc, eq, exists, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { isStaff } from "../../../protocol/roles";
import { conversations, messages, participants } from "../../db/schema";
import { decodeCursor, encodeCursor } from "../../lib/pagination";
import type { Scope } from "../../lib/scope";
import { type Viewer, visibleTo } from "./conversation.policy";
import { presentConversations } from "./conversation.presenter";
import type { listConversationsQuery } from "./conversations.schema";

/** A prefix query over words (letters and digits only), so "refun" finds "refunds"; null when nothing is left. */
export function prefixQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

const sortKey = sql<Date>`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`.mapWith(
  conversations.createdAt,
);

export async function listConversations(
  scope: Scope,
  viewer: Viewer,
  q: z.infer<typeof listConversationsQuery>,
) {
  const cursor = decodeCursor(q.cursor, "time");
  const staff = isStaff(viewer.role);
  const tsquery = q.q ? prefixQuery(q.q) : null;
  const filters: Array<SQL | undefined> = [
    visibleTo(viewer),
    q.status ? eq(conversations.status, q.status) : undefined,
    // Tickets' own threads belong to the ticket lists, not to chat inboxes.
    q.kind ? eq(conversations.kind, q.kind) : ne(conversations.kind, "ticket"),
    q.assigneeId ? eq(conversations.assigneeId, q.assigneeId) : undefined,
    q.teamId ? eq(conversations.teamId, q.teamId) : undefined,
    q.customerId ? eq(conversations.customerId, q.customerId) : undefined,
    q.view === "mine" ? eq(conversations.assigneeId, viewer.id) : undefined,
    q.view === "unassigned"
      ? and(eq(conversations.kind, "support"), isNull(conversations.assigneeId))
      : undefined,
    q.view === "mentions"
      ? sql`exists (select 1 from ${messages} where ${messages.conversationId} = ${conversations.id} and ${messages.mentions} @> array[${viewer.id}]::uuid[])`
      : undefined,
    q.q && !tsquery ? sql`false` : undefined,
    tsquery
      ? or(
          sql`${conversations.search} @@ to_tsquery('simple', ${tsquery})`,
          exists(
            scope.tx
              .select({ one: sql`1` })
              .from(messages)
              .where(
                and(
                  eq(messages.conversationId, conversations.id),
                  sql`${messages.search} @@ to_tsquery('simple', ${tsquery})`,
                  // Internal notes are searchable by staff only.
                  staff ? undefined : eq(messages.internal, false),
                ),
              ),
          ),
        )
      : undefined,
    q.unread === "true"
      ? sql`${conversations.lastSeq} > coalesce((select ${participants.lastReadSeq} from ${participants} where ${participants.conversationId} = ${conversations.id} and ${participants.userId} = ${viewer.id}), 0)`
      : undefined,
    cursor
      ? or(
          lt(sortKey, new Date(String(cursor.k))),
          and(eq(sortKey, new Date(String(cursor.k))), lt(conversations.id, cursor.id)),
        )
      : undefined,
  ];
  const rows = await scope.tx
    .select()
    .from(conversations)
    .where(and(...filters))
    .orderBy(desc(sortKey), desc(conversations.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: await presentConversations(scope, viewer, page),
    nextCursor:
      more && last
        ? encodeCursor({ k: (last.lastMessageAt ?? last.createdAt).toISOString(), id: last.id })
        : null,
  };
}
