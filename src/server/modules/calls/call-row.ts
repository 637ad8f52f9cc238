import { and, count, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { CallStats } from "../../../protocol/call";
import { waitingCallStatuses } from "../../../protocol/call";
import { can, type Role } from "../../../protocol/roles";
import { calls } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";

export type CallRow = typeof calls.$inferSelect;

export interface Viewer {
  id: string;
  role: Role;
  name: string;
}

/**
 * What the `stats` column holds: each party's report, and who was rung and who declined. The ring list lives
 * here because the calls table has no column for it; only this module reads it, and no API returns it.
 */
export interface CallFacts {
  customer?: CallStats;
  agent?: CallStats;
  ring?: { offered: string[]; declined: string[] };
}

export const factsOf = (row: CallRow): CallFacts => row.stats as CallFacts;
/** For storing: the column is typed as a plain record. */
export const stored = (facts: CallFacts) => facts as Record<string, unknown>;

export function ringOf(row: CallRow): { offered: string[]; declined: string[] } {
  const ring = factsOf(row).ring;
  return { offered: ring?.offered ?? [], declined: ring?.declined ?? [] };
}

/** Whom a waiting call is still ringing for. */
export const ringingFor = (row: CallRow) => {
  const { offered, declined } = ringOf(row);
  return offered.filter((id) => !declined.includes(id));
};

export const isWaiting = (row: CallRow) => (waitingCallStatuses as readonly string[]).includes(row.status);

/**
 * Calls a person may see, as a query filter: customers their own, team leads and above all of the tenant's,
 * agents the calls they took and those waiting in the queue (which they may answer).
 */
export function callsVisibleTo(viewer: Viewer): SQL {
  if (viewer.role === "customer") return eq(calls.customerId, viewer.id);
  if (can(viewer.role, "chats.all")) return sql`true`;
  if (!can(viewer.role, "calls.answer")) return sql`false`;
  return sql`(${calls.agentId} = ${viewer.id} or ${calls.status} in ('queued', 'ringing'))`;
}

/**
 * The call if the viewer may see it, else 404; another tenant's is always invisible (row-level security).
 * `answering`: anyone who answers calls finds any call of the tenant, so a call someone else took is a 409.
 */
export async function loadCall(
  scope: Scope,
  viewer: Viewer,
  id: string,
  options: { forUpdate?: boolean; answering?: boolean } = {},
): Promise<CallRow> {
  const visible = options.answering && can(viewer.role, "calls.answer") ? sql`true` : callsVisibleTo(viewer);
  const query = scope.tx
    .select()
    .from(calls)
    .where(and(eq(calls.id, id), visible));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("call");
  return row;
}

/** Calls each of these people is talking on now, for capacity checks under the routing lock. */
export async function activeCallCounts(scope: Scope, agentIds: string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map();
  const rows = await scope.tx
    .select({ id: calls.agentId, n: count() })
    .from(calls)
    .where(and(inArray(calls.agentId, agentIds), eq(calls.status, "active")))
    .groupBy(calls.agentId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}
