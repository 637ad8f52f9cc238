import { eq } from "drizzle-orm";
import type { Availability } from "../../../protocol/enums";
import { users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { recordActivity } from "../audit/record-activity";
import { offerCalls, withdrawRings } from "../calls/call-ring";
import { drainQueue, lockRouting } from "./routing";

type UserRow = typeof users.$inferSelect;

/** The tenant's staff (the board, transfer lists) hear someone's availability changed, after commit. */
export function announceAvailability(
  scope: Scope,
  user: Pick<UserRow, "id" | "availability" | "availabilityUntil" | "lastSeenAt">,
) {
  const tenantId = scope.tenantId;
  if (!tenantId) return;
  scope.afterCommit(async () => {
    const online = ((await scope.realtime?.connectedCount(rooms.user(user.id))) ?? 0) > 0;
    scope.realtime?.emit(rooms.tenantStaff(tenantId), "presence", {
      userId: user.id,
      availability: user.availability,
      availabilityUntil: user.availabilityUntil?.toISOString() ?? null,
      online,
      lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
    });
  });
}

/**
 * Someone's availability changes (by themselves, a team lead, the end of a break or their last tab closing):
 * stored, audited, announced, and if they came online the queue drains to them and waiting calls ring for them
 * (if they left, calls stop ringing for them). `auto` marks an away that presence
 * (not the person) decided, which reconnecting undoes.
 */
export async function setAvailability(
  scope: Scope,
  userId: string,
  change: { status: Availability; until?: Date | null; auto?: boolean },
): Promise<UserRow | undefined> {
  await lockRouting(scope);
  const [before] = await scope.tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!before) return undefined;
  const [after] = await scope.tx
    .update(users)
    .set({
      availability: change.status,
      availabilityUntil: change.until ?? null,
      autoAway: change.auto ?? false,
      updatedAt: new Date(),
    })
    .where(eq(users.id, userId))
    .returning();
  if (
    before.availability !== after!.availability ||
    +(before.availabilityUntil ?? 0) !== +(after!.availabilityUntil ?? 0)
  ) {
    await recordActivity(scope, {
      action: "staff.availability_changed",
      subjectType: "user",
      subjectId: userId,
      oldValue: { availability: before.availability, until: before.availabilityUntil },
      newValue: { availability: after!.availability, until: after!.availabilityUntil },
      metadata: change.auto !== undefined ? { automatic: true } : {},
    });
    announceAvailability(scope, after!);
  }
  if (after!.availability === "online" && before.availability !== "online") {
    await drainQueue(scope);
    // Waiting calls ring for them too (call rows someone else holds are skipped: the routing lock is held).
    await offerCalls(scope, { again: userId });
  } else if (before.availability === "online" && after!.availability !== "online") {
    await withdrawRings(scope, userId);
  }
  return after;
}
