import { desc, eq, isNull, sql } from "drizzle-orm";
import { activity } from "../../db/schema";
import { canonicalJson, redact, sha256 } from "../../lib/crypto";
import type { Scope } from "../../lib/scope";

export interface ActivityInput {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  metadata?: Record<string, unknown>;
  /** Defaults to the scope's tenant; platform entries pass null explicitly from a system scope. */
  tenantId?: string | null;
}

export const genesisHash = "0".repeat(64);

type ActivityRow = typeof activity.$inferSelect;
type Hashed = Pick<
  ActivityRow,
  | "tenantId"
  | "actorId"
  | "actorType"
  | "actorName"
  | "action"
  | "subjectType"
  | "subjectId"
  | "oldValue"
  | "newValue"
  | "ip"
  | "userAgent"
  | "metadata"
  | "createdAt"
  | "prevHash"
>;

/** The hash covers every recorded field and the previous entry's hash, so changing or removing a row shows. */
export function activityHash(row: Hashed): string {
  return sha256(
    canonicalJson([
      row.prevHash,
      row.tenantId,
      row.actorId,
      row.actorType,
      row.actorName,
      row.action,
      row.subjectType,
      row.subjectId,
      row.oldValue,
      row.newValue,
      row.ip,
      row.userAgent,
      row.metadata,
      row.createdAt.toISOString(),
    ]),
  );
}

/** Appends an entry to the tenant's audit trail inside the scope's transaction. */
export function recordActivity(scope: Scope, input: ActivityInput): Promise<void> {
  return recordActivities(scope, [input], input.tenantId);
}

/**
 * Appends entries to one chain (the scope's tenant's unless `tenantId` says otherwise; null is the platform's) in
 * one statement, each linked to the one before.
 */
export async function recordActivities(
  scope: Scope,
  inputs: Array<Omit<ActivityInput, "tenantId">>,
  chain?: string | null,
): Promise<void> {
  if (!inputs.length) return;
  const tenantId = chain === undefined ? scope.tenantId : chain;
  // One writer at a time per chain, so two transactions cannot both link to the same previous entry.
  await scope.tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`activity:${tenantId ?? "platform"}`}, 0))`,
  );
  const [last] = await scope.tx
    .select({ hash: activity.hash })
    .from(activity)
    .where(tenantId ? eq(activity.tenantId, tenantId) : isNull(activity.tenantId))
    .orderBy(desc(activity.seq))
    .limit(1);
  let prevHash = last?.hash ?? genesisHash;
  // Millisecond precision survives the round trip through timestamptz, so the hash can be recomputed.
  const createdAt = new Date();
  const rows = inputs.map((input) => {
    const row: Hashed = {
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

/** Only the fields that changed, as {old, new}, for update entries. */
export function changes<T extends Record<string, unknown>>(
  before: T,
  patch: Partial<T>,
): { oldValue: Partial<T>; newValue: Partial<T> } | null {
  const oldValue: Partial<T> = {};
  const newValue: Partial<T> = {};
  for (const key of Object.keys(patch) as Array<keyof T>) {
    if (patch[key] === undefined) continue;
    if (canonicalJson(before[key]) === canonicalJson(patch[key])) continue;
    oldValue[key] = before[key];
    newValue[key] = patch[key] as T[keyof T];
  }
  return Object.keys(newValue).length ? { oldValue, newValue } : null;
}
