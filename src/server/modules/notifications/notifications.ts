import type { Deps } from "../../lib/deps";
import { ticketMailStillWanted } from "../tickets/ticket-outbox";
import { offlineMailKind, offlineMailStillUnread } from "./enqueue-offline-mail";
import { OfflineMailer } from "./offline-mailer";
import { OutboxWorker } from "./outbox-worker";

export interface Notifications {
  /** Starts sending the outbox (when SMTP_URL is set). */
  start(): void;
  /** Finishes queued and in-flight work; call before the database closes. */
  stop(): Promise<void>;
}

/** Offline emails for one app: queued after messages commit, sent by a worker that lives as long as the app. */
export function createNotifications(deps: Deps): Notifications {
  const mailer = new OfflineMailer(deps);
  deps.services.offlineMail = mailer;
  const worker = new OutboxWorker(deps, {
    stillWanted: { [offlineMailKind]: offlineMailStillUnread, ...ticketMailStillWanted },
  });
  return {
    start: () => worker.start(),
    async stop() {
      await mailer.stop();
      await worker.stop();
    },
  };
}
