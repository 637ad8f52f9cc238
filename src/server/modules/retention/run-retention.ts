import { asc, eq } from "drizzle-orm";
import { resolveSettings } from "../../../protocol/settings";
import type { Database } from "../../db/client";
import { tenants } from "../../db/schema";
import { inSystem, inTenant } from "../../db/tenant-scope";
import { runScoped, type Scope, systemActor } from "../../lib/scope";
import { deleteAttachmentFiles } from "../uploads/storage";
import { archiveChatBatch, archiveTicketBatch, type BatchOptions } from "./archive-batch";
import { bytesOf, type Deleted, deleteChatBatch, deleteTicketBatch } from "./delete-batch";
import { deleteCallBatch } from "./delete-calls";
import { tryRetentionLock } from "./retention-lock";
import { type Counts, countDue, noCounts, type Retention } from "./retention-rules";

export type RetentionStep =
  | "counted"
  | "archiving tickets"
  | "archiving conversations"
  | "deleting tickets"
  | "deleting conversations"
  | "deleting calls";

export interface RetentionProgress {
  /** The tenant's slug; null for the count that comes before any work. */
  tenant: string | null;
  step: RetentionStep;
  /** Rows handled so far in this run, of `total` counted at its start (rows that fell due since may add some). */
  done: number;
  total: number;
}

export interface TenantSummary extends Counts {
  tenant: string;
  name: string;
}

export type RetentionResult =
  | { skipped: true }
  | { skipped: false; dryRun: boolean; stopped: boolean; tenants: TenantSummary[] };

export interface RetentionOptions {
  database: Database;
  /** Where uploads live (DATA_DIR): deleted attachments' files are removed from there. */
  dataDir: string;
  /** One tenant's slug; all tenants when omitted. */
  tenant?: string | undefined;
  /** Count what is due and change nothing. */
  dryRun?: boolean;
  /** Rows per transaction, so a large backlog never holds locks for long. */
  batchSize?: number;
  via: BatchOptions["via"];
  /** Stops between batches (the server is shutting down); what is done stays done. */
  signal?: AbortSignal;
  onProgress?: (p: RetentionProgress) => void | Promise<void>;
  /** A file that could not be removed after its rows were deleted (it stays encrypted, without its key material). */
  onFileError?: (err: unknown) => void;
}

export class UnknownTenantError extends Error {}

interface Step {
  name: Exclude<RetentionStep, "counted">;
  counts:
    | "archivedTickets"
    | "archivedConversations"
    | "deletedTickets"
    | "deletedConversations"
    | "deletedCalls";
  run: (scope: Scope, o: BatchOptions) => Promise<number | Deleted>;
}

const steps: Step[] = [
  { name: "archiving tickets", counts: "archivedTickets", run: archiveTicketBatch },
  { name: "archiving conversations", counts: "archivedConversations", run: archiveChatBatch },
  { name: "deleting tickets", counts: "deletedTickets", run: deleteTicketBatch },
  { name: "deleting conversations", counts: "deletedConversations", run: deleteChatBatch },
  { name: "deleting calls", counts: "deletedCalls", run: deleteCallBatch },
];

/**
 * Archives and deletes what each tenant's retention settings say is due, in batches of one transaction each.
 * Only one run at a time, across every server process and the CLI: a run that finds the lock taken does nothing
 * and answers `skipped`. A dry run takes no lock and changes nothing; it reports the same counts a run would.
 */
export async function runRetention(o: RetentionOptions): Promise<RetentionResult> {
  const release = o.dryRun ? null : await tryRetentionLock(o.database);
  if (!o.dryRun && !release) return { skipped: true };
  try {
    return await work(o);
  } finally {
    await release?.();
  }
}

async function work(o: RetentionOptions): Promise<RetentionResult> {
  const db = o.database.db;
  const found = await inSystem(db, (tx) =>
    tx
      .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, settings: tenants.settings })
      .from(tenants)
      .where(o.tenant === undefined ? undefined : eq(tenants.slug, o.tenant))
      .orderBy(asc(tenants.slug)),
  );
  if (o.tenant !== undefined && !found.length) throw new UnknownTenantError(`No tenant "${o.tenant}".`);
  const plans: Array<{ id: string; slug: string; name: string; retention: Retention; due: Counts }> = [];
  for (const t of found) {
    const retention = resolveSettings(t.settings).retention;
    plans.push({ ...t, retention, due: await inTenant(db, t.id, (tx) => countDue(tx, retention)) });
  }
  if (o.dryRun) {
    return {
      skipped: false,
      dryRun: true,
      stopped: false,
      tenants: plans.map((p) => ({ tenant: p.slug, name: p.name, ...p.due })),
    };
  }
  const total = plans.reduce((n, p) => n + steps.reduce((m, s) => m + p.due[s.counts], 0), 0);
  let done = 0;
  await o.onProgress?.({ tenant: null, step: "counted", done, total });
  const batchSize = o.batchSize ?? 500;
  const summaries: TenantSummary[] = [];
  let stopped = false;
  for (const plan of plans) {
    const summary: TenantSummary = { tenant: plan.slug, name: plan.name, ...noCounts() };
    summaries.push(summary);
    for (const step of steps) {
      if (!plan.due[step.counts]) continue;
      const options: BatchOptions = { retention: plan.retention, limit: batchSize, via: o.via };
      for (;;) {
        if (o.signal?.aborted) {
          stopped = true;
          break;
        }
        const result = await runScoped(db, plan.id, systemActor, (scope) => step.run(scope, options));
        const n = typeof result === "number" ? result : result.count;
        if (typeof result !== "number") await removeFiles(o, summary, result);
        summary[step.counts] += n;
        done += n;
        await o.onProgress?.({ tenant: plan.slug, step: step.name, done, total });
        if (n < batchSize) break;
      }
    }
  }
  return { skipped: false, dryRun: false, stopped, tenants: summaries };
}

/** After commit: the rows are gone, so their files go too. */
async function removeFiles(o: RetentionOptions, summary: Counts, deleted: Deleted): Promise<void> {
  summary.deletedAttachments += deleted.files.length;
  summary.bytesFreed += bytesOf(deleted.files);
  try {
    await deleteAttachmentFiles(
      deleted.files.map((f) => f.storageKey),
      o.dataDir,
    );
  } catch (err) {
    o.onFileError?.(err);
  }
}
