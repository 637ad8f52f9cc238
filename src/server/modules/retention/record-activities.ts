import { desc, eq, sql } from "drizzle-orm";
import { activity } from "../../db/schema";
import { redact } from "../../lib/crypto";
import type { Scope } from "../../lib/scope";
import { type ActivityInput, activityHash, genesisHash } from "../audit/record-activity";

/**
 * Appends many entries to the scope's tenant's audit trail in one statement: the same lock, chain and hash as
 * recordActivity, entry by entry. An archive batch writes one trail entry per ticket; one at a time that is three
 * round trips each, which held the tenant's audit-trail lock (and so every audited change in the tenant) for
 * seconds per batch of 500.
 */
export async function recordActivities(
  scope: Scope,
  inputs: Omit<ActivityInput, "tenantId">[],
): Promise<void> {
  const tenantId = scope.tenantId;
  if (!inputs.length || !tenantId) return;
  await scope.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`activity:${tenantId}`}, 0))`);
  const [last] = await scope.tx
    .select({ hash: activity.hash })
    .from(activity)
    .where(eq(activity.tenantId, tenantId))
    .orderBy(desc(activity.seq))
    .limit(1);
  let prevHash = last?.hash ?? genesisHash;
  const createdAt = new Date();
  const rows = inputs.map((input) => {
    const row = {
      tenantId,
      actorId: scope.actor.id,
      actorType: scope.actor.type,
      actorName: scope.actor.name,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId ?? null,
      oldValue: input.oldValue === undefined ? null : redact(input.oldValue),
      newValue: input.newValue === undefined ? null : redact(input.newValue),
      ip: scope.actor.ip,
      userAgent: scope.actor.userAgent,
      metadata: redact(input.metadata ?? {}),
      createdAt,
      prevHash,
    };
    prevHash = activityHash(row);
    return { ...row, hash: prevHash };
  });
  // The rows of one INSERT take their sequence numbers in the order written, which is the chain's order.
  await scope.tx.insert(activity).values(rows);
}
