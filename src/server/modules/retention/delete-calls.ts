import { and, asc, inArray, sql } from "drizzle-orm";
import { attachments, calls } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import type { BatchOptions } from "./archive-batch";
import { bytesOf, type Deleted } from "./delete-batch";
import type { Retention } from "./retention-rules";

/** Calls that are over, whichever way they ended. */
export const endedCallStatuses = ["completed", "missed", "abandoned", "failed"] as const;

/**
 * A call is kept as long as a chat after it ended: `conversationDeleteDays` from its end (a row without an end
 * time, which ending always sets, counts from its last update). Calls are never archived first: there is nothing
 * in them to read, only their facts and score.
 */
export const callsToDelete = (r: Retention) =>
  and(
    inArray(calls.status, [...endedCallStatuses]),
    sql`coalesce(${calls.endedAt}, ${calls.updatedAt}) < now() - make_interval(days => ${r.conversationDeleteDays}::int)`,
  )!;

/** Deletes up to `limit` of the tenant's ended calls that are due, with their recordings' rows and files. */
export async function deleteCallBatch(scope: Scope, o: BatchOptions): Promise<Deleted> {
  const due = await scope.tx
    .select({ id: calls.id, recordingId: calls.recordingId })
    .from(calls)
    .where(callsToDelete(o.retention))
    .orderBy(asc(calls.id))
    .limit(o.limit)
    .for("update", { skipLocked: true });
  if (!due.length) return { count: 0, files: [] };
  const deleted = await scope.tx
    .delete(calls)
    .where(
      inArray(
        calls.id,
        due.map((c) => c.id),
      ),
    )
    .returning({ recordingId: calls.recordingId });
  const recordingIds = deleted.flatMap((c) => (c.recordingId ? [c.recordingId] : []));
  // The recording is the call's alone; its file goes once this transaction has committed.
  const files = recordingIds.length
    ? await scope.tx
        .delete(attachments)
        .where(inArray(attachments.id, recordingIds))
        .returning({ storageKey: attachments.storageKey, size: attachments.size })
    : [];
  await recordActivity(scope, {
    action: "retention.deleted",
    subjectType: "tenant",
    subjectId: scope.tenantId,
    metadata: {
      what: "calls",
      count: deleted.length,
      attachments: files.length,
      bytes: bytesOf(files),
      deleteDays: o.retention.conversationDeleteDays,
      via: o.via,
    },
  });
  return { count: deleted.length, files };
}
