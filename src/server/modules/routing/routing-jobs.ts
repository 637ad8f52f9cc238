import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { conversations, teams, users } from "../../db/schema";
import { inSystem } from "../../db/tenant-scope";
import type { Deps } from "../../lib/deps";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { recordActivity } from "../audit/record-activity";
import { sweepCalls } from "../calls/call-sweep";
import { tenantSettings } from "../settings/tenant-settings";
import { sweepTicketBreaches } from "../tickets/ticket-breaches";
import { setAvailability } from "./availability";
import { forEachTenant } from "./each-tenant";
import { drainQueue, lockRouting, queueChanged } from "./routing";

/**
 * Chats past the tenant's first-response target with no answer yet (waiting in the queue, or taken but not yet
 * answered) are flagged once: the flag moves a queued chat to the front, and the chat's team lead (or, without a
 * team, every team lead) hears of it.
 */
export async function flagOverdue(scope: Scope): Promise<number> {
  const target = (await tenantSettings(scope)).firstResponseTargetSeconds;
  const overdue = await scope.tx
    .update(conversations)
    .set({ responseOverdueAt: new Date() })
    .where(
      and(
        eq(conversations.kind, "support"),
        inArray(conversations.status, ["queued", "open"]),
        isNull(conversations.firstResponseAt),
        isNull(conversations.responseOverdueAt),
        lte(
          sql`coalesce(${conversations.queuedAt}, ${conversations.createdAt})`,
          sql`now() - make_interval(secs => ${target})`,
        ),
      ),
    )
    .returning();
  if (!overdue.length) return 0;
  const leads = await scope.tx
    .select({ id: users.id, teamId: users.teamId, leads: teams.id })
    .from(users)
    .leftJoin(teams, eq(teams.leadId, users.id))
    .where(and(eq(users.status, "active"), eq(users.role, "team_lead")));
  for (const chat of overdue) {
    const told = [
      ...new Set(
        leads
          .filter((l) => !chat.teamId || l.leads === chat.teamId || l.teamId === chat.teamId)
          .map((l) => l.id),
      ),
    ];
    const minutes = Math.round((Date.now() - (chat.queuedAt ?? chat.createdAt).getTime()) / 60_000);
    const notification = {
      kind: "conversation.response_overdue",
      title: `Chat #${chat.number} has waited ${minutes} min without an answer`,
      body:
        chat.status === "queued" ? "It is at the front of the queue." : "It is taken but not yet answered.",
      link: `/console/conversations/${chat.id}`,
    };
    const targets = told.map((id) => rooms.user(id));
    if (targets.length) scope.afterCommit(() => scope.realtime?.emit(targets, "notification", notification));
    await recordActivity(scope, {
      action: "conversation.response_overdue",
      subjectType: "conversation",
      subjectId: chat.id,
      metadata: { targetSeconds: target, notified: told },
    });
  }
  if (overdue.some((c) => c.status === "queued")) queueChanged(scope);
  return overdue.length;
}

/**
 * Routing's clock, on every server process: breaks that ended bring their agent back online, overdue first
 * responses are flagged, and queues drain (a chat skipped while someone else held it is not left waiting). Each
 * tenant with something to do gets one transaction; the routing lock keeps processes from doing it twice at once.
 * Then tickets past a service-level due time are flagged and escalated (sweepTicketBreaches, row locks), and
 * calls nobody answered in time are missed and the rest rung again (sweepCalls, skipping locked rows).
 */
export class RoutingJobs {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: Deps) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    }, this.deps.config.routingSweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    const db = this.deps.database.db;
    const due = await inSystem(db, (tx) =>
      queryRows<{ tenant_id: string }>(
        tx,
        sql`select tenant_id from ${users}
              where availability = 'on_break' and availability_until <= now() and tenant_id is not null
            union
            select tenant_id from ${conversations}
              where kind = 'support' and status in ('queued', 'open') and first_response_at is null`,
      ),
    );
    await forEachTenant(this.deps, due, "routing sweep", async (scope) => {
      await lockRouting(scope);
      const ended = await scope.tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.availability, "on_break"), lte(users.availabilityUntil, new Date())));
      for (const agent of ended) await setAvailability(scope, agent.id, { status: "online" });
      await flagOverdue(scope);
      await drainQueue(scope);
    });
    await sweepTicketBreaches(this.deps);
    await sweepCalls(this.deps);
  }
}
