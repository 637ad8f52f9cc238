import type { Staff, User } from "../../../protocol/schemas";
import type { users } from "../../db/schema";

type UserRow = typeof users.$inferSelect;

export function presentUser(
  row: Pick<
    UserRow,
    "id" | "tenantId" | "email" | "name" | "role" | "availability" | "availabilityUntil" | "createdAt"
  >,
): User {
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    name: row.name,
    role: row.role,
    ...(row.role === "customer"
      ? {}
      : { availability: row.availability, availabilityUntil: row.availabilityUntil?.toISOString() ?? null }),
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentStaff(row: UserRow, load: { activeChats: number; activeCalls: number }): Staff {
  return {
    ...presentUser(row),
    role: row.role as Staff["role"],
    availability: row.availability,
    availabilityUntil: row.availabilityUntil?.toISOString() ?? null,
    status: row.status,
    maxChats: row.maxChats,
    maxCalls: row.maxCalls,
    activeChats: load.activeChats,
    activeCalls: load.activeCalls,
    teamId: row.teamId,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
  };
}
