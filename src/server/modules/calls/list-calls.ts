import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { callStatuses } from "../../../protocol/enums";
import { calls } from "../../db/schema";
import { decodeCursor, encodeCursor, pageQuery } from "../../lib/pagination";
import type { Scope } from "../../lib/scope";
import { presentCalls } from "./call.presenter";
import { callsVisibleTo, type Viewer } from "./call-row";

export const listCallsQuery = z.strictObject({
  status: z.enum(callStatuses).optional(),
  agentId: z.uuid().optional().describe("staff: calls this person took"),
  customerId: z.uuid().optional().describe("staff: this customer's calls"),
  ...pageQuery,
});

/** Recent calls the viewer may see, newest first, filtered; cursor-paged. */
export async function listCalls(scope: Scope, viewer: Viewer, q: z.infer<typeof listCallsQuery>) {
  const cursor = decodeCursor(q.cursor, "time");
  const filters: Array<SQL | undefined> = [
    callsVisibleTo(viewer),
    q.status ? eq(calls.status, q.status) : undefined,
    q.agentId ? eq(calls.agentId, q.agentId) : undefined,
    q.customerId ? eq(calls.customerId, q.customerId) : undefined,
  ];
  if (cursor) {
    const at = new Date(String(cursor.k));
    filters.push(or(lt(calls.createdAt, at), and(eq(calls.createdAt, at), lt(calls.id, cursor.id))));
  }
  const rows = await scope.tx
    .select()
    .from(calls)
    .where(and(...filters))
    .orderBy(desc(calls.createdAt), desc(calls.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return {
    items: await presentCalls(scope, page),
    nextCursor: more && last ? encodeCursor({ k: last.createdAt.toISOString(), id: last.id }) : null,
  };
}
