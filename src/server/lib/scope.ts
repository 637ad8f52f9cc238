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

const maxAttempts = 3;
const retryableCodes = new Set(["40P01", "40001"]);

function retryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && retryableCodes.has(code)) return true;
  }
  return false;
}

export async function runScoped<T>(
  db: Db,
  tenantId: string | null,
  actor: Actor,
  fn: (scope: Scope) => Promise<T>,
  services: Services | null = null,
): Promise<T> {
  let after: Array<() => void | Promise<void>> = [];
  const realtime = services?.realtime ?? null;
  const body = (tx: Tx) => {
    after = [];
    return fn({ tx, tenantId, actor, afterCommit: (f) => after.push(f), realtime, services });
  };
  let result: T;
  for (let attempt = 1; ; attempt++) {
    try {
      result = tenantId ? await inTenant(db, tenantId, body) : await inSystem(db, body);
      break;
    } catch (err) {
      // PostgreSQL broke a lock cycle (or a serialization conflict) by rolling this transaction back; nothing of
      // it happened, so it runs again from the start.
      if (attempt >= maxAttempts || !retryable(err)) throw err;
    }
  }
  for (const f of after) {
    try {
      await f();
    } catch {
      // Work after commit is best effort by design (events, notifications); the commit already happened.
    }
  }
  return result;
}
