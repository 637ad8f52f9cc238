import type { Deps } from "../../lib/deps";
import { QueueAnnouncer } from "./queue";
import { RoutingJobs } from "./routing-jobs";

export interface RoutingService {
  start(): void;
  stop(): Promise<void>;
}

/** Queue announcements and routing's clock for one app; scopes reach the announcer through the app's services. */
export function createRouting(deps: Deps): RoutingService {
  const announcer = new QueueAnnouncer(deps);
  deps.services.queue = announcer;
  const jobs = new RoutingJobs(deps);
  return {
    start: () => jobs.start(),
    async stop() {
      announcer.stop();
      await jobs.stop();
    },
  };
}
