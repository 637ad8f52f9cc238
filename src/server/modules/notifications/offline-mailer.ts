import { inTenant } from "../../db/tenant-scope";
import type { Deps } from "../../lib/deps";
import { rooms } from "../../realtime/rooms";
import { enqueueOfflineMail } from "./enqueue-offline-mail";
import { describeError } from "./mail-transport";

/**
 * Queues emails for the people who were not connected when a message arrived. Work is coalesced per conversation:
 * while one run is in flight, the messages that follow wait together for a single next run, so a burst costs two
 * transactions rather than one per message (each run reads everything not yet mailed, so none is missed).
 */
export class OfflineMailer {
  /** Per conversation: the run in flight (or last started), and who the next run is for. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Set<string>>();
  private stopped = false;

  constructor(private readonly deps: Deps) {}

  /**
   * Returns at once: the sender's acknowledgement must not wait for presence look-ups across server processes and
   * another transaction.
   */
  schedule(tenantId: string, conversationId: string, userIds: string[]): void {
    if (this.stopped) return;
    const next = this.waiting.get(conversationId);
    if (next) {
      for (const id of userIds) next.add(id);
      return;
    }
    const users = new Set(userIds);
    this.waiting.set(conversationId, users);
    const previous = this.running.get(conversationId) ?? Promise.resolve();
    const run = previous
      .then(() => {
        this.waiting.delete(conversationId);
        return this.enqueue(tenantId, conversationId, [...users]);
      })
      .catch((err) =>
        this.deps.logger.warn({ conversationId, error: describeError(err) }, "offline email not queued"),
      )
      .finally(() => {
        if (this.running.get(conversationId) === run) this.running.delete(conversationId);
      });
    this.running.set(conversationId, run);
  }

  /** Lets queued work finish before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.values());
  }

  private async enqueue(tenantId: string, conversationId: string, userIds: string[]): Promise<void> {
    const { realtime, database, config } = this.deps;
    const counts = await Promise.all(userIds.map((id) => realtime.connectedCount(rooms.user(id))));
    const offline = userIds.filter((_, i) => counts[i] === 0);
    if (!offline.length) return;
    const options = { batchSeconds: config.mailBatchSeconds, publicUrl: config.publicUrl };
    await inTenant(database.db, tenantId, async (tx) => {
      for (const userId of offline) await enqueueOfflineMail(tx, conversationId, userId, options);
    });
  }
}
