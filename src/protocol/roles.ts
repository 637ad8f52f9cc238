/**
 * Roles and permissions, defined once for server and web.
 * Each staff role holds every permission of the staff roles before it; `customer` is separate because its
 * permissions are about the customer's own data.
 */
export const roles = ["customer", "agent", "team_lead", "supervisor", "admin", "super_admin"] as const;
export type Role = (typeof roles)[number];
export const staffRoles = ["agent", "team_lead", "supervisor", "admin"] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];

/** What each permission allows, in words for the README and the admin screens. */
export const permissionDescriptions = {
  "own.profile": "see and change one's own profile, sessions and API tokens",
  "own.chats": "start chats and see one's own conversations",
  "own.tickets": "open tickets and see one's own",
  "own.calls": "start voice calls",
  "own.rate": "rate one's own resolved chats and tickets",
  "availability.set": "set one's own availability",
  "queue.view": "see the chat and call queues",
  "chats.pickup": "pick up chats from the queue",
  "chats.assigned": "see and answer assigned chats",
  "chats.transfer": "transfer own chats to another agent or team",
  "chats.internal": "write and read internal notes",
  "chats.outbound": "start a conversation with any customer of the tenant",
  "calls.answer": "answer voice calls",
  "customers.view": "see customer details (sensitive data masked)",
  "tickets.work": "see and work every ticket of the tenant",
  "team.chat": "take part in internal team channels",
  "staff.view": "see the staff list with load and availability",
  "canned.manage": "manage the tenant-wide canned responses",
  "chats.all": "see every conversation of the tenant",
  "chats.reassign": "reassign any chat or call",
  "breaks.manage": "put agents on a break and end it",
  "stats.view": "see the live statistics",
  "staff.edit": "edit staff details, capacity, team and availability",
  "teams.manage": "create, edit and delete teams",
  "reports.view": "see reports and export them",
  "staff.create": "add staff members",
  "staff.delete": "deactivate staff members",
  "staff.role": "change a staff member's role",
  "settings.manage": "change tenant settings",
  "audit.view": "read and verify the audit trail",
  "customers.export": "export and erase a customer's data",
  "platform.support": "open support threads with the platform",
  "tenants.manage": "create and change tenants",
  "ice.manage": "configure STUN and TURN servers",
  "platform.audit": "read the platform audit trail",
} as const;
export type Permission = keyof typeof permissionDescriptions;

const customer: Permission[] = ["own.profile", "own.chats", "own.tickets", "own.calls", "own.rate"];
const agent: Permission[] = [
  "own.profile",
  "availability.set",
  "queue.view",
  "chats.pickup",
  "chats.assigned",
  "chats.transfer",
  "chats.internal",
  "chats.outbound",
  "calls.answer",
  "customers.view",
  "tickets.work",
  "team.chat",
];
const teamLead: Permission[] = [
  ...agent,
  "staff.view",
  "chats.all",
  "chats.reassign",
  "breaks.manage",
  "stats.view",
  "canned.manage",
];
const supervisor: Permission[] = [...teamLead, "staff.edit", "teams.manage", "reports.view"];
const admin: Permission[] = [
  ...supervisor,
  "staff.create",
  "staff.delete",
  "staff.role",
  "settings.manage",
  "audit.view",
  "customers.export",
  "platform.support",
];
const superAdmin: Permission[] = [...admin, "tenants.manage", "ice.manage", "platform.audit"];

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  customer: new Set(customer),
  agent: new Set(agent),
  team_lead: new Set(teamLead),
  supervisor: new Set(supervisor),
  admin: new Set(admin),
  super_admin: new Set(superAdmin),
};

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}

/** Rank among staff, for "may only manage people below (or at) one's own level" rules. */
export function rank(role: Role): number {
  return roles.indexOf(role);
}

export function isStaff(role: Role): boolean {
  return role !== "customer";
}
