import { resolveSettings, type Settings } from "../../../protocol/settings";
import { tenants } from "../../db/schema";
import type { Scope } from "../../lib/scope";

/** The scope's tenant's settings with defaults filled in (row-level security shows only its own tenant). */
export async function tenantSettings(scope: Pick<Scope, "tx">): Promise<Settings> {
  const [tenant] = await scope.tx.select({ settings: tenants.settings }).from(tenants);
  return resolveSettings(tenant?.settings);
}
