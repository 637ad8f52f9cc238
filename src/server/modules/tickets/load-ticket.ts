import { and, eq, sql } from "drizzle-orm";
import { conversations, tickets } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { ticketsVisibleTo, type Viewer } from "./ticket.policy";

type Row = typeof tickets.$inferSelect;

/**
 * The ticket if the viewer may see it, else "not found". `forUpdate` locks its conversation's row and then the
 * ticket's, the order a message in its thread takes them.
 */
export async function loadTicket(
  scope: Scope,
  viewer: Viewer,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Row> {
  const visible = and(eq(tickets.id, id), ticketsVisibleTo(viewer));
  if (options.forUpdate) {
    await scope.tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, sql`(select ${tickets.conversationId} from ${tickets} where ${visible})`))
      .for("update");
  }
  const query = scope.tx.select().from(tickets).where(visible);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("ticket");
  return row;
}
