import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client";

/**
 * Runs `fn` in a transaction that PostgreSQL confines to one tenant: the role becomes switchboard_app (which owns
 * nothing, so row-level security applies) and app.tenant_id names the tenant. Both are LOCAL: they end with the
 * transaction, so a pooled connection never carries them into another request.
 */
export function inTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'switchboard_app', true)`,
    );
    return fn(tx);
  });
}

/**
 * Runs `fn` as the tables' owner, across tenants. Only for what has no tenant yet or spans them: resolving a
 * session or token, sign-in lookups, the super admin's platform work and scheduled jobs.
 */
export function inSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
