import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Server } from "socket.io";
import { conversations, participants, users } from "../db/schema";
import type { Deps } from "../lib/deps";
import { runScoped, systemActor } from "../lib/scope";
import { leaveCalls } from "../modules/calls/call-sweep";
import { setAvailability } from "../modules/routing/availability";
import { rooms } from "./rooms";
import type { SocketUser } from "./socket-auth";

/** A closed tab or a network blip within this time does not make someone offline. */
export const offlineGraceMs = 5_000;

/**
 * Online while at least one socket is connected, on any server process (several tabs count once); offline, with
 * the last-seen time, once the last one has been gone for the grace period. Announced to the tenant's staff and
 * to the rooms of the person's ongoing conversations.
 */
export class Presence {
  private readonly local = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: Deps,
    private readonly io: Server,
    private readonly graceMs = offlineGraceMs,
  ) {}

  connected(user: SocketUser): void {
    clearTimeout(this.timers.get(user.id));
    this.timers.delete(user.id);
    const before = this.local.get(user.id) ?? 0;
    this.local.set(user.id, before + 1);
    if (before === 0) void this.announce(user, true).catch(() => {});
  }

  disconnected(user: SocketUser): void {
    const left = (this.local.get(user.id) ?? 1) - 1;
    if (left > 0) {
      this.local.set(user.id, left);
      return;
    }
    this.local.delete(user.id);
    clearTimeout(this.timers.get(user.id));
    const timer = setTimeout(() => {
      this.timers.delete(user.id);
      void this.io
        .in(rooms.user(user.id))
        .fetchSockets()
        .then((sockets) => (sockets.length ? undefined : this.announce(user, false)))
        .catch(() => {});
    }, this.graceMs);
    timer.unref();
    this.timers.set(user.id, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * Records last seen and tells staff and the person's conversations. Staff also change availability: an online
   * agent whose last tab closed becomes away (presence's doing, so coming back makes them online again).
   */
  private async announce(user: SocketUser, online: boolean): Promise<void> {
    const now = new Date();
    const { availability, convIds } = await runScoped(
      this.deps.database.db,
      user.tenantId,
      systemActor,
      async (scope) => {
        // Availability first: it takes the routing lock, which comes before a staff row's lock.
        const [seen] = await scope.tx
          .select({ role: users.role, availability: users.availability, autoAway: users.autoAway })
          .from(users)
          .where(eq(users.id, user.id));
        if (seen && seen.role !== "customer") {
          if (!online && seen.availability === "online")
            await setAvailability(scope, user.id, { status: "away", auto: true });
          else if (online && seen.autoAway && seen.availability === "away")
            await setAvailability(scope, user.id, { status: "online" });
        }
        // Gone past the grace period: they have left their calls (staff: the routing lock is held already).
        if (seen && !online) await leaveCalls(scope, user.id, { skipLocked: seen.role !== "customer" });
        const [row] = await scope.tx
          .update(users)
          .set({ lastSeenAt: now })
          .where(eq(users.id, user.id))
          .returning();
        const mine = await scope.tx
          .select({ id: participants.conversationId })
          .from(participants)
          .innerJoin(conversations, eq(conversations.id, participants.conversationId))
          .where(
            and(
              eq(participants.userId, user.id),
              isNull(participants.leftAt),
              inArray(conversations.status, ["queued", "open", "pending", "escalated"]),
            ),
          )
          .limit(200);
        return {
          availability: row?.role === "customer" ? null : (row?.availability ?? null),
          convIds: mine.map((m) => m.id),
        };
      },
      this.deps.services,
    );
    const targets = [rooms.tenantStaff(user.tenantId), ...convIds.map(rooms.conversation)];
    this.deps.realtime.emit(targets, "presence", {
      userId: user.id,
      availability,
      online,
      lastSeenAt: now.toISOString(),
    });
  }
}
