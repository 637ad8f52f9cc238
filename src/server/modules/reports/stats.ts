import { type SQL, sql } from "drizzle-orm";
import { waitingCallStatuses } from "../../../protocol/call";
import { ticketStatuses } from "../../../protocol/enums";
import { type Stats, statsWindowDays } from "../../../protocol/reports";
import { queryRows } from "../../db/client";
import type { Scope } from "../../lib/scope";
import { activeChatStatuses, routedRoles } from "../routing/routing";

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

interface Figures {
  open_conversations: number;
  queued_chats: number;
  queued_calls: number;
  active_calls: number;
  tickets: Array<{ status: string; n: number }> | null;
  urgent: number;
  high: number;
  first_response: number | null;
  resolution: number | null;
  rating: number | null;
  ratings: number;
  activity_24h: number;
  activity_7d: number;
  staff_online: number;
  capacity: number;
  held: number;
}

/**
 * The tenant's live figures in one statement. Each part reads through an index that starts with tenant_id (status
 * for chats and tickets, created_at for the 30-day window and the audit trail), so the cost follows what is open
 * and recent, not the tenant's whole history; messages are never read, and calls only through the partial indexes
 * of waiting and active calls. Tickets per status come from the retention index (tenant, status, archived_at)
 * alone, without reading the tickets, which are mostly resolved and closed.
 */
export async function readStats(scope: Scope): Promise<Stats> {
  // Compiling the statement (JIT, once its estimated cost passes PostgreSQL's threshold on a big tenant) costs
  // more than running it.
  await scope.tx.execute(sql`set local jit = off`);
  const [f] = await queryRows<Figures>(scope.tx, statsQuery(scope.tenantId!));
  return present(f!);
}

/** The statement on its own, for looking at its plan. */
export function statsQuery(tenant: string): SQL {
  const active = list(activeChatStatuses);
  // Both call counts read the partial indexes calls_waiting and calls_agent_active: only live calls are touched.
  const waiting = list(waitingCallStatuses);
  const routed = list(routedRoles);
  const unresolved = list(ticketStatuses.filter((st) => st !== "resolved" && st !== "closed"));
  return sql`
    with recent as (
      select first_response_at - created_at as first_response, resolved_at - created_at as resolution, rating
        from conversations
       where tenant_id = ${tenant} and kind = 'support' and queued_at is not null
         and created_at >= now() - make_interval(days => ${statsWindowDays})
      union all
      select first_response_at - created_at, resolved_at - created_at, rating
        from tickets
       where tenant_id = ${tenant} and created_at >= now() - make_interval(days => ${statsWindowDays})
    ),
    averages as (
      select extract(epoch from avg(first_response))::float8 as first_response,
             extract(epoch from avg(resolution))::float8 as resolution,
             avg(rating)::float8 as rating, count(rating)::int as ratings
        from recent
    ),
    trail as (
      select count(*) filter (where created_at >= now() - interval '24 hours')::int as day,
             count(*)::int as week
        from activity
       where tenant_id = ${tenant} and created_at >= now() - interval '7 days'
         and subject_type in ('ticket', 'conversation')
    ),
    pressing as (
      select count(*) filter (where priority = 'urgent')::int as urgent,
             count(*) filter (where priority = 'high')::int as high
        from tickets
       where tenant_id = ${tenant} and status in (${unresolved}) and priority in ('urgent', 'high')
         and archived_at is null
    ),
    online as (
      select id, max_chats from users
       where tenant_id = ${tenant} and role in (${routed}) and status = 'active' and availability = 'online'
    )
    select
      (select count(*)::int from conversations
        where tenant_id = ${tenant} and kind = 'support' and status in (${active})) as open_conversations,
      (select count(*)::int from conversations
        where tenant_id = ${tenant} and kind = 'support' and status = 'queued') as queued_chats,
      (select count(*)::int from calls
        where tenant_id = ${tenant} and status in (${waiting})) as queued_calls,
      (select count(*)::int from calls where tenant_id = ${tenant} and status = 'active') as active_calls,
      (select json_agg(t) from (
         select status, count(*)::int as n
           from tickets where tenant_id = ${tenant} and archived_at is null group by status) t) as tickets,
      pressing.urgent,
      pressing.high,
      averages.*,
      trail.day as activity_24h,
      trail.week as activity_7d,
      (select count(*)::int from online) as staff_online,
      (select coalesce(sum(max_chats), 0)::int from online) as capacity,
      (select count(*)::int from conversations
        where tenant_id = ${tenant} and kind = 'support' and status in (${active})
          and assignee_id in (select id from online)) as held
    from averages, trail, pressing`;
}

const round = (n: number | null, places: number) =>
  n === null ? null : Math.round(Number(n) * 10 ** places) / 10 ** places;

function present(f: Figures): Stats {
  const byStatus = Object.fromEntries(ticketStatuses.map((s) => [s, 0])) as Stats["ticketsByStatus"];
  for (const t of f.tickets ?? []) {
    if (t.status in byStatus) byStatus[t.status as keyof typeof byStatus] = Number(t.n);
  }
  const capacity = Number(f.capacity);
  return {
    openConversations: Number(f.open_conversations),
    queuedChats: Number(f.queued_chats),
    queuedCalls: Number(f.queued_calls),
    activeCalls: Number(f.active_calls),
    openTickets: byStatus.open,
    inProgressTickets: byStatus.in_progress,
    urgentTickets: Number(f.urgent),
    highTickets: Number(f.high),
    ticketsByStatus: byStatus,
    avgFirstResponseSeconds: round(f.first_response, 0),
    avgResolutionSeconds: round(f.resolution, 0),
    avgRating: round(f.rating, 2),
    ratingsCount: Number(f.ratings),
    activity24h: Number(f.activity_24h),
    activity7d: Number(f.activity_7d),
    staffOnline: Number(f.staff_online),
    staffUtilisation: capacity > 0 ? round(Number(f.held) / capacity, 3) : null,
    windowDays: statsWindowDays,
    generatedAt: new Date().toISOString(),
  };
}
