import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { activity } from "../../db/schema";
import { activityHash, genesisHash } from "./record-activity";

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstTampered: { id: string; seq: number; createdAt: string; reason: "altered" | "broken_link" } | null;
}

/** Walks a tenant's trail in order and returns the first entry whose hash or link does not hold. */
export async function verifyChain(tx: Tx, tenantId: string | null, batch = 1000): Promise<ChainReport> {
  let prev = genesisHash;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await tx
      .select()
      .from(activity)
      .where(
        and(tenantId ? eq(activity.tenantId, tenantId) : isNull(activity.tenantId), gt(activity.seq, after)),
      )
      .orderBy(asc(activity.seq))
      .limit(batch);
    for (const row of rows) {
      const reason =
        row.prevHash !== prev ? "broken_link" : activityHash(row) !== row.hash ? "altered" : null;
      if (reason) {
        return {
          ok: false,
          checked,
          firstTampered: { id: row.id, seq: row.seq, createdAt: row.createdAt.toISOString(), reason },
        };
      }
      prev = row.hash;
      checked++;
    }
    if (rows.length < batch) return { ok: true, checked, firstTampered: null };
    after = rows[rows.length - 1]!.seq;
  }
}
