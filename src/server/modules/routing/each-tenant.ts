import type { Deps } from "../../lib/deps";
import { runScoped, type Scope, systemActor } from "../../lib/scope";

/**
 * The clock's work for each tenant that has some, one transaction each as the system. A tenant whose turn fails
 * is logged and skipped, so one broken tenant never stops the others; the next tick tries it again.
 */
export async function forEachTenant(
  deps: Pick<Deps, "database" | "services" | "logger">,
  due: ReadonlyArray<{ tenant_id: string }>,
  what: string,
  work: (scope: Scope) => Promise<unknown>,
): Promise<void> {
  for (const { tenant_id: tenantId } of due) {
    try {
      await runScoped(deps.database.db, tenantId, systemActor, work, deps.services);
    } catch (err) {
      deps.logger.warn({ err, tenantId }, `${what} failed for a tenant`);
    }
  }
}
