import { and, inArray, sql } from "drizzle-orm";
import type { Call, CallParty } from "../../../protocol/call";
import { waitingCallStatuses } from "../../../protocol/call";
import { calls, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { tenantSettings } from "../settings/tenant-settings";
import type { CallRow } from "./call-row";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Calls as the API shows them, with their people's names (one query for all). */
export async function presentCalls(scope: Scope, rows: CallRow[]): Promise<Call[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.customerId, r.agentId]).filter((id): id is string => !!id))];
  const people = ids.length
    ? await scope.tx
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, ids))
    : [];
  const { recordingEnabled } = await tenantSettings(scope);
  const party = (id: string | null, withEmail: boolean): CallParty | null => {
    const p = people.find((u) => u.id === id);
    return p ? { id: p.id, name: p.name, email: withEmail ? p.email : null } : null;
  };
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    customer: party(r.customerId, true),
    agent: party(r.agentId, false),
    conversationId: r.conversationId,
    queuedAt: r.queuedAt.toISOString(),
    ringingAt: iso(r.ringingAt),
    answeredAt: iso(r.answeredAt),
    endedAt: iso(r.endedAt),
    durationSeconds: r.durationSeconds,
    quality: r.quality,
    poorQuality: r.poorQuality,
    endReason: r.endReason,
    endedBy: r.endedBy,
    recordingEnabled,
    recordingNoticeAt: iso(r.recordingNoticeAt),
    recordingAvailable: !!r.recordingId,
  }));
}

/** One call; a waiting one also says its place in the call queue. */
export async function presentCall(scope: Scope, row: CallRow): Promise<Call & { position: number | null }> {
  const [view] = await presentCalls(scope, [row]);
  let position: number | null = null;
  if ((waitingCallStatuses as readonly string[]).includes(row.status)) {
    const [ahead] = await scope.tx
      .select({ n: sql<number>`count(*)::int` })
      .from(calls)
      .where(
        and(
          inArray(calls.status, [...waitingCallStatuses]),
          sql`(${calls.queuedAt}, ${calls.id}) <= (${row.queuedAt.toISOString()}::timestamptz, ${row.id}::uuid)`,
        ),
      );
    position = Number(ahead?.n ?? 1);
  }
  return { ...view!, position };
}
