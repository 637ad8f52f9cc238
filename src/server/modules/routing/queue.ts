import { inArray, sql } from "drizzle-orm";
import type { QueuedChat, QueuePosition } from "../../../protocol/events";
import { queryRows } from "../../db/client";
import { conversations, users } from "../../db/schema";
import type { Deps } from "../../lib/deps";
import { runScoped, type Scope, systemActor } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { readCallQueue } from "../calls/call-queue";
import { inQueue, queueOrder } from "./queue-order";
import { frontLine } from "./routing";

/** Without enough history (fewer than `minSamples` recent chats), a chat is assumed to take this long. */
const defaultHandlingSeconds = 300;
const minSamples = 10;
/** No chat is handled faster than this, however quickly some were closed. */
const minHandlingSeconds = 30;

/**
 * How long the chat at a position may wait: handled chats free a place every (handling time ÷ places) seconds,
 * handling time being the mean of the tenant's last 50 chats of the past week. Null while nobody is online.
 */
async function waitEstimator(scope: Scope): Promise<(position: number) => number | null> {
  const [recent] = await queryRows<{ seconds: number | null; n: number }>(
    scope.tx,
    sql`select avg(extract(epoch from (resolved_at - assigned_at)))::float8 as seconds, count(*)::int as n from (
      select resolved_at, assigned_at from ${conversations}
      where kind = 'support' and resolved_at is not null and assigned_at is not null
        and resolved_at > now() - interval '7 days'
      order by resolved_at desc limit 50) recent`,
  );
  const [places] = await scope.tx
    .select({ n: sql<number>`coalesce(sum(${users.maxChats}), 0)::int` })
    .from(users)
    .where(frontLine());
  const handling =
    recent && recent.n >= minSamples
      ? Math.max(minHandlingSeconds, recent.seconds ?? 0)
      : defaultHandlingSeconds;
  const slots = Number(places?.n ?? 0);
  return (position) => (slots ? Math.round((position * handling) / slots) : null);
}

/** A chat's place in line: its position, how long it has waited and how long it may still wait. */
function place(
  conversationId: string,
  position: number,
  queuedAt: Date | null,
  now: number,
  estimate: (position: number) => number | null,
): QueuePosition {
  return {
    conversationId,
    position,
    waitingSeconds: Math.max(0, Math.floor((now - (queuedAt?.getTime() ?? now)) / 1000)),
    expectedWaitSeconds: estimate(position),
  };
}

export interface QueueView {
  chats: QueuedChat[];
  total: number;
  /** Every waiting chat's customer and place, for announcing positions. */
  positions: Array<QueuePosition & { customerId: string | null }>;
}

/** The tenant's chat queue in order: the first `limit` in full, every chat's position. */
export async function readQueue(scope: Scope, limit = 100): Promise<QueueView> {
  const waiting = await scope.tx
    .select({
      id: conversations.id,
      number: conversations.number,
      subject: conversations.subject,
      priority: conversations.priority,
      teamId: conversations.teamId,
      customerId: conversations.customerId,
      queuedAt: conversations.queuedAt,
      overdue: sql<boolean>`${conversations.responseOverdueAt} is not null`,
    })
    .from(conversations)
    .where(inQueue)
    .orderBy(...queueOrder);
  const estimate = await waitEstimator(scope);
  const now = Date.now();
  const positions = waiting.map((c, i) => ({
    ...place(c.id, i + 1, c.queuedAt, now, estimate),
    customerId: c.customerId,
  }));
  const head = waiting.slice(0, limit);
  const customerIds = [...new Set(head.map((c) => c.customerId).filter((id): id is string => !!id))];
  const customers = customerIds.length
    ? await scope.tx
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, customerIds))
    : [];
  const chats = head.map((c, i) => {
    const { customerId: _, ...inLine } = positions[i]!;
    return {
      ...inLine,
      number: c.number,
      subject: c.subject,
      priority: c.priority,
      teamId: c.teamId,
      customer: customers.find((p) => p.id === c.customerId) ?? null,
      queuedAt: c.queuedAt!.toISOString(),
      overdue: c.overdue,
    };
  });
  return { chats, total: waiting.length, positions };
}

/** The places in line of those of these chats that wait in the queue. */
export async function queuePositions(scope: Scope, ids: string[]): Promise<Map<string, QueuePosition>> {
  const result = new Map<string, QueuePosition>();
  if (!ids.length) return result;
  const ranked = scope.tx
    .select({
      id: conversations.id,
      queuedAt: conversations.queuedAt,
      position: sql<number>`row_number() over (order by ${sql.join(queueOrder, sql`, `)})::int`.as(
        "position",
      ),
    })
    .from(conversations)
    .where(inQueue)
    .as("ranked");
  const mine = await scope.tx.select().from(ranked).where(inArray(ranked.id, ids));
  if (!mine.length) return result;
  const estimate = await waitEstimator(scope);
  const now = Date.now();
  for (const m of mine) {
    result.set(m.id, place(m.id, m.position, m.queuedAt, now, estimate));
  }
  return result;
}

/**
 * Announces a tenant's queue after it changed: staff get its head, each waiting customer their place. Changes in
 * quick succession (a burst of new chats, a drain handing out many) are announced once, a moment later, so the
 * cost is one read per burst however long the queue is.
 */
export class QueueAnnouncer {
  private readonly due = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    private readonly delayMs = 100,
  ) {}

  changed(tenantId: string): void {
    if (this.stopped || this.due.has(tenantId)) return;
    const timer = setTimeout(() => {
      this.due.delete(tenantId);
      this.announce(tenantId).catch((err) =>
        this.deps.logger.warn({ err, tenantId }, "queue announcement failed"),
      );
    }, this.delayMs);
    timer.unref();
    this.due.set(tenantId, timer);
  }

  async announce(tenantId: string): Promise<void> {
    const [view, callView] = await runScoped(this.deps.database.db, tenantId, systemActor, async (scope) => [
      await readQueue(scope),
      await readCallQueue(scope),
    ]);
    const { realtime } = this.deps;
    realtime.emit(rooms.tenantStaff(tenantId), "queue:updated", {
      chats: view.chats,
      calls: callView.calls,
      total: view.total,
    });
    for (const { customerId, ...inLine } of [...view.positions, ...callView.positions]) {
      if (customerId) realtime.emit(rooms.user(customerId), "queue:position", inLine);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.due.values()) clearTimeout(timer);
    this.due.clear();
  }
}
