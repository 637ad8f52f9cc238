import { and, asc, desc, eq, sql } from "drizzle-orm";
import { conversations } from "../../db/schema";

/**
 * The queue's order, one definition for routing, positions and the staff's queue: chats past the first-response
 * target first, then by priority, then by how long they have waited (the chat number breaks ties in the same
 * millisecond).
 */
export const queueOrder = [
  desc(sql`${conversations.responseOverdueAt} is not null`),
  desc(
    sql`case ${conversations.priority} when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end`,
  ),
  asc(conversations.queuedAt),
  asc(conversations.number),
];

/** The chats in the queue: support chats waiting for someone. */
export const inQueue = and(eq(conversations.kind, "support"), eq(conversations.status, "queued"));
