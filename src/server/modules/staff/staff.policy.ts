import { can, type Role, rank } from "../../../protocol/roles";

/** Named predicates about staff, each a line or two (default deny lives in the route's access). */
export const staffPolicy = {
  /** Nobody manages people above them; admins manage other admins, lower roles only those below. */
  manage: (actor: Role, target: Role) =>
    target !== "customer" &&
    target !== "super_admin" &&
    (rank(target) < rank(actor) || (actor === "admin" && target === "admin")),
  /** A role can be granted only by someone allowed to change roles, and not above the granter. */
  grant: (actor: Role, role: Role) =>
    can(actor, "staff.role") && role !== "customer" && rank(role) <= rank(actor),
  editDetails: (actor: Role) => can(actor, "staff.edit"),
  setAvailability: (actor: Role) => can(actor, "breaks.manage"),
  deactivate: (actor: Role, target: Role, self: boolean) =>
    !self && can(actor, "staff.delete") && staffPolicy.manage(actor, target),
};
