import { and, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { outbox } from "../../db/schema";
import { inSystem } from "../../db/tenant-scope";

export type OutboxRow = typeof outbox.$inferSelect;

/** Decides at send time whether a due row is still worth sending (false drops it). */
export type StillWanted = (tx: Tx, row: OutboxRow) => Promise<boolean>;

export const maxAttempts = 8;
const maxBackoffSeconds = 3600;
/** Longer than the worst SMTP exchange of a whole batch, so only a crashed sender's claim ever expires. */
const claimLeaseSeconds = 15 * 60;

/*
 * Delivery bookkeeping lives in the row's metadata: `claimedAt` while a process is sending it, `failedAt` once it
 * was given up. That keeps the outbox schema as it is, and the claim is a lease rather than a lock held during
 * SMTP, because the embedded database serializes transactions and a slow mail server must not stall the app.
 */
const claimedAt = sql`(${outbox.metadata} ->> 'claimedAt')`;
const failedAt = sql`(${outbox.metadata} ->> 'failedAt')`;

/** Not sent, not given up and not being sent: the only rows whose content may still change. */
export const waitingToSend: SQL = and(
  isNull(outbox.sentAt),
  sql`${claimedAt} is null`,
  sql`${failedAt} is null`,
)!;

const due: SQL = and(
  isNull(outbox.sentAt),
  sql`${failedAt} is null`,
  lte(outbox.sendAfter, sql`now()`),
  or(
    sql`${claimedAt} is null`,
    sql`${claimedAt}::timestamptz < now() - ${claimLeaseSeconds}::float8 * interval '1 second'`,
  ),
)!;

/**
 * Claims up to `limit` due rows of every tenant. SKIP LOCKED lets several server processes claim at once without
 * waiting for or sharing rows, and the claim mark is written before the transaction ends, so a row another process
 * claimed is no longer due for anyone once its lock is gone.
 */
export function claimDue(
  db: Db,
  limit: number,
  stillWanted: Record<string, StillWanted>,
): Promise<OutboxRow[]> {
  return inSystem(db, async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(due)
      .orderBy(outbox.sendAfter)
      .limit(limit)
      .for("update", { skipLocked: true });
    const claimed: OutboxRow[] = [];
    for (const row of rows) {
      const check = stillWanted[row.kind];
      if (check && !(await check(tx, row))) {
        await tx.delete(outbox).where(eq(outbox.id, row.id));
        continue;
      }
      claimed.push(row);
    }
    if (claimed.length) {
      await tx
        .update(outbox)
        .set({ metadata: sql`${outbox.metadata} || jsonb_build_object('claimedAt', now())` })
        .where(
          inArray(
            outbox.id,
            claimed.map((r) => r.id),
          ),
        );
    }
    return claimed;
  });
}

export async function markSent(db: Db, id: string): Promise<void> {
  await inSystem(db, (tx) =>
    tx
      .update(outbox)
      .set({ sentAt: sql`now()`, metadata: sql`${outbox.metadata} - 'claimedAt'` })
      .where(eq(outbox.id, id)),
  );
}

/** Seconds before the next try after `attempts` failures: 2, 4, 8, … up to an hour. */
export const backoffSeconds = (attempts: number) => Math.min(2 ** attempts, maxBackoffSeconds);

/** Records a failed try; the row is retried after a backoff, or kept as failed after the last attempt. */
export async function markFailed(db: Db, row: OutboxRow, error: string): Promise<{ gaveUp: boolean }> {
  const attempts = row.attempts + 1;
  const gaveUp = attempts >= maxAttempts;
  const released = sql`(${outbox.metadata} - 'claimedAt')`;
  await inSystem(db, (tx) =>
    tx
      .update(outbox)
      .set({
        attempts,
        lastError: error,
        sendAfter: sql`now() + ${backoffSeconds(attempts)}::float8 * interval '1 second'`,
        metadata: gaveUp ? sql`${released} || jsonb_build_object('failedAt', now())` : released,
      })
      .where(eq(outbox.id, row.id)),
  );
  return { gaveUp };
}
