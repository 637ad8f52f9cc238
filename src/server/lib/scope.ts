import type { ActorType } from "../../protocol/enums";
import type { Role } from "../../protocol/roles";
import type { Config } from "../config";
import type { Db, Tx } from "../db/client";
import { inSystem, inTenant } from "../db/tenant-scope";
import type { Realtime } from "../realtime/realtime";

/** Who is acting, as the audit trail records it. */
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string;
  role: Role | null;
  ip: string | null;
  userAgent: string | null;
}

export const systemActor: Actor = {
  type: "system",
  id: null,
  name: "Switchboard",
  role: null,
  ip: null,
  userAgent: null,
};

/** What after-commit work reaches: the app's announcer and its background services (none in scripts). */
export interface Services {
  realtime: Realtime;
  /** The app's configuration (links in emails use its public address). */
  config: Config;
  /** For work after commit that needs its own transaction. */
  db: Db;
  /** Emails people who were not connected when a message arrived. */
  offlineMail?: { schedule(tenantId: string, conversationId: string, userIds: string[]): void };
  /** The tenant's queue changed: waiting customers and staff hear the new order. */
  queue?: { changed(tenantId: string): void };
}

/** One unit of work: a transaction bound to a tenant (or the platform), who acts, and what to do after commit. */
export interface Scope {
  tx: Tx;
  tenantId: string | null;
  actor: Actor;
  /** Runs only if the transaction commits, e.g. real-time events and emails. */
  afterCommit(fn: () => void | Promise<void>): void;
  /** Where after-commit announcements go; null in scripts and jobs without sockets. */
  realtime: Realtime | null;
  services: Services | null;
}

export async function runScoped<T>(
  db: Db,
  tenantId: string | null,
  actor: Actor,
  fn: (scope: Scope) => Promise<T>,
  services: Services | null = null,
): Promise<T> {
  const after: Array<() => void | Promise<void>> = [];
  const realtime = services?.realtime ?? null;
  const body = (tx: Tx) => fn({ tx, tenantId, actor, afterCommit: (f) => after.push(f), realtime, services });
  const result = tenantId ? await inTenant(db, tenantId, body) : await inSystem(db, body);
  for (const f of after) {
    try {
      await f();
    } catch {
      // Work after commit is best effort by design (events, notifications); the commit already happened.
    }
  }
  return result;
}
