import { and, desc, eq, inArray, isNotNull, isNull, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { parseTicketReference } from "../../../protocol/ticket";
import { tickets, users } from "../../db/schema";
import { decodeCursor, encodeCursor } from "../../lib/pagination";
import type { Scope } from "../../lib/scope";
import { prefixQuery } from "../conversations/list-conversations";
import { ticketsVisibleTo, type Viewer } from "./ticket.policy";
import { presentTickets } from "./ticket.presenter";
import type { listTicketsQuery } from "./tickets.schema";

const done: Array<"resolved" | "closed"> = ["resolved", "closed"];

/**
 * What `q` matches: a ticket number (TKT-000042, #42, 42), else for staff a customer's email when it has an "@",
 * else words of the subject or description. One kind at a time, so its index serves it: OR-ed together they made
 * PostgreSQL read every ticket of the tenant.
 */
function search(viewer: Viewer, q: string): SQL {
  const number = parseTicketReference(q);
  if (number !== null) return eq(tickets.number, number);
  if (q.includes("@") && viewer.role !== "customer") {
    const prefix = `${q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;
    return sql`${tickets.customerId} = any(array(select ${users.id} from ${users} where lower(${users.email}) like ${prefix}))`;
  }
  const words = prefixQuery(q);
  return words ? sql`${tickets.search} @@ to_tsquery('simple', ${words})` : sql`false`;
}

/** Tickets the viewer may see, most recent activity first, filtered and searched; cursor-paged. */
export async function listTickets(scope: Scope, viewer: Viewer, q: z.infer<typeof listTicketsQuery>) {
  const cursor = decodeCursor(q.cursor, "time");
  const assignee =
    q.assigneeId === "me" ? viewer.id : q.assigneeId === "none" ? null : (q.assigneeId ?? undefined);
  const filters: Array<SQL | undefined> = [
    ticketsVisibleTo(viewer),
    q.archived === "true" ? isNotNull(tickets.archivedAt) : isNull(tickets.archivedAt),
    q.status ? inArray(tickets.status, q.status) : undefined,
    q.category ? inArray(tickets.category, q.category) : undefined,
    q.priority ? inArray(tickets.priority, q.priority) : undefined,
    assignee === null ? isNull(tickets.assigneeId) : assignee ? eq(tickets.assigneeId, assignee) : undefined,
    q.customerId ? eq(tickets.customerId, q.customerId) : undefined,
    q.conversationId ? eq(tickets.conversationId, q.conversationId) : undefined,
    q.state === "active" ? notInArray(tickets.status, done) : undefined,
    q.state === "done" ? inArray(tickets.status, done) : undefined,
    q.q ? search(viewer, q.q) : undefined,
    cursor
      ? or(
          lt(tickets.lastActivityAt, new Date(String(cursor.k))),
          and(eq(tickets.lastActivityAt, new Date(String(cursor.k))), lt(tickets.id, cursor.id)),
        )
      : undefined,
  ];
  const rows = await scope.tx
    .select()
    .from(tickets)
    .where(and(...filters))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return {
    items: await presentTickets(scope, viewer, page),
    nextCursor: more && last ? encodeCursor({ k: last.lastActivityAt.toISOString(), id: last.id }) : null,
  };
}
