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
export async function recordActivity(scope: Scope, input: ActivityInput): Promise<void> {
  const tenantId = input.tenantId === undefined ? scope.tenantId : input.tenantId;
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
    // Millisecond precision survives the round trip through timestamptz, so the hash can be recomputed.
    createdAt: new Date(),
    prevHash: last?.hash ?? genesisHash,
  };
  await scope.tx.insert(activity).values({ ...row, hash: activityHash(row) });
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
