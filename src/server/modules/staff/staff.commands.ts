import { randomBytes } from "node:crypto";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { can, type Role } from "../../../protocol/roles";
import { apiTokens, sessions, teams, users } from "../../db/schema";
import { conflict, forbidden, invalid, notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { changes, recordActivity } from "../audit/record-activity";
import { hashPassword } from "../auth/password";
import { heldChats, requeueChatsOf } from "../conversations/requeue-conversations";
import { announceAvailability } from "../routing/availability";
import { drainQueue, lockRouting } from "../routing/routing";
import { staffPolicy } from "./staff.policy";
import type { createStaffBody, updateStaffBody } from "./staff.schema";
import { presentUser } from "./user.presenter";

type UserRow = typeof users.$inferSelect;

/** Validates a break's end time against the clock; returns it as a Date (or null). `field` names it in errors. */
export function breakEnd(until: string | undefined, field = "until"): Date | null {
  if (!until) return null;
  const at = new Date(until);
  if (at.getTime() <= Date.now()) throw invalid({ [field]: "must be in the future" });
  if (at.getTime() > Date.now() + 24 * 3600_000) throw invalid({ [field]: "must be within 24 hours" });
  return at;
}

async function assertTeam(scope: Scope, teamId: string | null | undefined) {
  if (!teamId) return;
  const [team] = await scope.tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw invalid({ teamId: "is not a team of this tenant" });
}

/** The staff member with this id, locked for the change; customers and other tenants' people are "not found". */
export async function loadStaffForUpdate(scope: Scope, id: string): Promise<UserRow> {
  const [row] = await scope.tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), ne(users.role, "customer")))
    .for("update");
  if (!row) throw notFound("staff member");
  return row;
}

export async function createStaff(
  scope: Scope,
  actorRole: Role,
  input: z.infer<typeof createStaffBody>,
  defaults: { maxChats: number; maxCalls: number },
) {
  if (!staffPolicy.grant(actorRole, input.role)) throw forbidden("You cannot give this role.");
  await assertTeam(scope, input.teamId);
  const [taken] = await scope.tx
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, input.email));
  if (taken)
    throw conflict("Someone in this tenant already uses this email.", { fields: { email: "is taken" } });
  const temporaryPassword = input.password ? undefined : randomBytes(12).toString("base64url");
  const [row] = await scope.tx
    .insert(users)
    .values({
      tenantId: scope.tenantId,
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password ?? temporaryPassword!),
      maxChats: input.maxChats ?? defaults.maxChats,
      maxCalls: input.maxCalls ?? defaults.maxCalls,
      teamId: input.teamId ?? null,
    })
    .returning();
  await recordActivity(scope, {
    action: "staff.created",
    subjectType: "user",
    subjectId: row!.id,
    newValue: { ...presentUser(row!), maxChats: row!.maxChats, maxCalls: row!.maxCalls, teamId: row!.teamId },
  });
  return { row: row!, temporaryPassword };
}

export async function updateStaff(
  scope: Scope,
  actor: { id: string; role: Role },
  id: string,
  input: z.infer<typeof updateStaffBody>,
) {
  // Availability, capacity and team decide routing: the change and the drain after it are one decision.
  await lockRouting(scope);
  const before = await loadStaffForUpdate(scope, id);
  const self = before.id === actor.id;
  if (!self && !staffPolicy.manage(actor.role, before.role))
    throw forbidden("You cannot change this person.");
  const { availability, ...details } = input;
  if (Object.keys(details).length && !staffPolicy.editDetails(actor.role)) {
    throw forbidden("You may only change availability.");
  }
  if (input.role !== undefined && input.role !== before.role) {
    if (self) throw forbidden("You cannot change your own role.");
    if (!staffPolicy.grant(actor.role, input.role)) throw forbidden("You cannot give this role.");
  }
  if (availability && !staffPolicy.setAvailability(actor.role)) throw forbidden();
  await assertTeam(scope, input.teamId);
  const patch: Partial<UserRow> = {
    ...details,
    ...(availability
      ? {
          availability: availability.status,
          availabilityUntil: breakEnd(availability.until, "availability.until"),
        }
      : {}),
  };
  const diff = changes(before as unknown as Record<string, unknown>, patch as Record<string, unknown>);
  if (!diff) return before;
  const [after] = await scope.tx
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  await recordActivity(scope, {
    action:
      availability && Object.keys(diff.newValue).every((k) => k.startsWith("availability"))
        ? "staff.availability_changed"
        : "staff.updated",
    subjectType: "user",
    subjectId: id,
    ...diff,
  });
  if ("availability" in diff.newValue || "availabilityUntil" in diff.newValue)
    announceAvailability(scope, after!);
  if ("role" in diff.newValue) {
    // Their open tabs hear every call of the tenant only while the new role may see them all.
    const watch = rooms.tenantCallWatch(scope.tenantId!);
    scope.afterCommit(() =>
      can(after!.role, "chats.all")
        ? scope.realtime?.join(rooms.user(id), watch)
        : scope.realtime?.leave(rooms.user(id), watch),
    );
  }
  await drainQueue(scope);
  return after!;
}

export async function deactivateStaff(scope: Scope, actor: { id: string; role: Role }, id: string) {
  await heldChats(scope, id);
  await lockRouting(scope);
  const before = await loadStaffForUpdate(scope, id);
  if (!staffPolicy.deactivate(actor.role, before.role, before.id === actor.id)) {
    throw forbidden("You cannot deactivate this person.");
  }
  if (before.status === "deactivated") return before;
  const now = new Date();
  const [after] = await scope.tx
    .update(users)
    .set({ status: "deactivated", availability: "offline", availabilityUntil: null, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  // Their access ends at once: every session and token stops working.
  await scope.tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)));
  await scope.tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, id), isNull(apiTokens.revokedAt)));
  scope.afterCommit(() => scope.realtime?.disconnect(rooms.user(id)));
  // A team without its lead is better than a team led by someone who has left.
  await scope.tx.update(teams).set({ leadId: null }).where(eq(teams.leadId, id));
  const requeued = await requeueChatsOf(scope, before);
  await recordActivity(scope, {
    action: "staff.deactivated",
    subjectType: "user",
    subjectId: id,
    oldValue: { status: before.status },
    newValue: { status: "deactivated" },
    metadata: { chatsRequeued: requeued },
  });
  return after!;
}
