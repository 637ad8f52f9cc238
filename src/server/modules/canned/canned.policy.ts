import { can, type Role } from "../../../protocol/roles";
import type { CannedRow } from "./canned.presenter";

/**
 * Tenant-wide snippets are managed with canned.manage; a personal one belongs to its owner alone. Someone
 * else's personal snippet is never loaded at all (see loadCanned), so it is "not found" rather than refused.
 */
export const cannedPolicy = {
  manageTenantWide: (role: Role) => can(role, "canned.manage"),
  change: (actor: { id: string; role: Role }, row: Pick<CannedRow, "ownerId">) =>
    row.ownerId ? row.ownerId === actor.id : can(actor.role, "canned.manage"),
};
