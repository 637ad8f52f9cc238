import type { Deps } from "../../lib/deps";
import { describeError, type MailTransport, smtpTransport } from "./mail-transport";
import { claimDue, markFailed, markSent, type OutboxRow, type StillWanted } from "./outbox-delivery";

export interface OutboxWorkerOptions {
  /** How often to look for due rows when the last look found less than a full batch. */
  pollMs?: number;
  batchSize?: number;
  /** Per outbox kind, whether a due row is still worth sending. */
  stillWanted?: Record<string, StillWanted>;
}

/**
 * Sends what the outbox holds, in every server process at once: claims are exclusive (see claimDue), so each email
 * goes out once however many workers poll. A failed send is retried with a growing delay and given up after
 * maxAttempts; the row stays as the record either way. Logs name the row, never the recipient or the text.
 */
export class OutboxWorker {
  private transport: MailTransport | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = false;
  private readonly pollMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly deps: Pick<Deps, "config" | "database" | "logger">,
    private readonly options: OutboxWorkerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 10;
  }

  start(): void {
    const url = this.deps.config.smtpUrl;
    if (!url) {
      this.deps.logger.info("SMTP_URL is not set: emails wait in the outbox and none are sent");
      return;
    }
    this.transport = smtpTransport(url);
    this.stopped = false;
    this.schedule(this.pollMs);
  }

  /** Waits for the batch in hand, so no row is left claimed by a process that is going away. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
    this.transport?.close();
    this.transport = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.runOnce().then((full) => this.schedule(full ? 0 : this.pollMs));
    }, ms);
    // Polling alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  /** One claim and its sends; true when the batch was full, so more may be due right away. */
  private async runOnce(): Promise<boolean> {
    let rows: OutboxRow[];
    try {
      rows = await claimDue(this.deps.database.db, this.batchSize, this.options.stillWanted ?? {});
    } catch (err) {
      this.deps.logger.warn({ error: describeError(err) }, "the outbox could not be read");
      return false;
    }
    for (const row of rows) await this.deliver(row);
    return rows.length === this.batchSize;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { config, database, logger } = this.deps;
    try {
      await this.transport!.send({
        from: config.mailFrom,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
      });
    } catch (err) {
      const error = describeError(err);
      try {
        const { gaveUp } = await markFailed(database.db, row, error);
        logger.warn(
          { outboxId: row.id, attempts: row.attempts + 1, error },
          gaveUp ? "email given up" : "email not sent, will retry",
        );
      } catch (markErr) {
        // The claim expires after its lease and the row is tried again then.
        logger.error({ outboxId: row.id, error: describeError(markErr) }, "email failure not recorded");
      }
      return;
    }
    try {
      await markSent(database.db, row.id);
    } catch (err) {
      // Sent but not marked: after the lease it goes out a second time, which beats losing it.
      logger.error({ outboxId: row.id, error: describeError(err) }, "sent email not marked as sent");
    }
  }
}
