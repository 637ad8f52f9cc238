import type { Deps } from "../../lib/deps";
import { type RetentionResult, runRetention } from "./run-retention";

export interface RetentionJobOptions {
  /** The first run comes this long after start, so a restart neither delays retention forever nor slows boot. */
  firstDelayMs?: number;
}

/**
 * Retention on a schedule, started in every server process (RETENTION_INTERVAL_MINUTES; 0 turns it off). The
 * run's lock lets one process work at a time; the others log that they skipped. Stopping waits for the batch in
 * hand and starts no other.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionResult | undefined> | undefined;
  private abort = new AbortController();

  constructor(
    private readonly deps: Pick<Deps, "config" | "database" | "logger">,
    private readonly options: RetentionJobOptions = {},
  ) {}

  start(): void {
    const every = this.deps.config.retentionIntervalMs;
    if (!every) return;
    this.abort = new AbortController();
    const first = Math.min(this.options.firstDelayMs ?? 60_000, every);
    this.timer = setTimeout(() => {
      void this.runOnce();
      this.timer = setInterval(() => void this.runOnce(), every);
      this.timer.unref();
    }, first);
    // A schedule alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.abort.abort();
    await this.running;
  }

  /** One run now, unless this process is already in one. */
  runOnce(): Promise<RetentionResult | undefined> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<RetentionResult | undefined> {
    const { config, database, logger } = this.deps;
    try {
      const result = await runRetention({
        database,
        dataDir: config.dataDir,
        via: "schedule",
        signal: this.abort.signal,
        onFileError: (err) => logger.warn({ err }, "retention: a deleted attachment's file was not removed"),
      });
      if (result.skipped) {
        logger.info("retention run skipped: another process is running it");
      } else {
        for (const t of result.tenants) {
          const { tenant, name: _, ...counts } = t;
          if (Object.values(counts).some((n) => n > 0)) logger.info({ tenant, ...counts }, "retention run");
        }
      }
      return result;
    } catch (err) {
      logger.warn({ err }, "retention run failed; the next one carries on where it stopped");
      return undefined;
    }
  }
}
