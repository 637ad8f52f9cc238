/**
 * Writes one tenant of the scale fill in one transaction, as the tables' owner (the role migrations run as, which
 * row-level security lets through): a tenant is either all there or not at all, so a second run can skip it.
 * Tickets and their threads go in chunks as JSON; each chunk's messages are expanded by the database itself.
 */
import type pg from "pg";
import { recentActivity } from "./fill-activity";
import type { TenantPlan } from "./fill-plan";
import type { TicketPlan } from "./fill-tickets-plan";

/** Tickets per statement: small enough for steady progress, large enough to keep round trips rare. */
const chunkSize = 2000;

/** The body pools, one temporary table per connection: customer replies, staff answers, then internal notes. */
export async function loadBodyPool(
  client: pg.Client,
  pool: { customer: string[]; staff: string[]; note: string[] },
) {
  await client.query("create temp table if not exists fill_bodies (id int primary key, body text not null)");
  await client.query("truncate fill_bodies");
  const all = [...pool.customer, ...pool.staff, ...pool.note];
  await client.query(
    "insert into fill_bodies select ordinality - 1, body from json_array_elements_text($1::json) with ordinality as b(body, ordinality)",
    [JSON.stringify(all)],
  );
  return { size: pool.customer.length, notes: pool.note.length };
}

/** A ticket's thread follows it (update-ticket.ts), and retention archives the two together. */
const threadStatus = (t: TicketPlan) =>
  t.archived_at ? "archived" : t.status === "closed" || t.status === "resolved" ? t.status : "open";
const lastMessageAt = (t: TicketPlan) =>
  t.messages === 1 ? t.created_at : t.messages === 2 ? t.second_at : t.last_activity_at;

const ticketColumns = `id uuid, conversation_id uuid, number int, customer_id uuid, assignee_id uuid, team_id uuid,
  subject text, description text, category text, priority text, status text, rating int, feedback text,
  rated_at timestamptz, first_response_due_at timestamptz, sla_due_at timestamptz, sla_paused_at timestamptz,
  sla_breached_at timestamptz, first_response_at timestamptz, assigned_at timestamptz, escalated_at timestamptz,
  resolved_at timestamptz, closed_at timestamptz, archived_at timestamptz, last_activity_at timestamptz,
  created_at timestamptz, messages int, thread_status text, last_message_at timestamptz`;

/** A chunk's threads, their participants (customer, assignee) and the tickets, in one statement. */
const insertTickets = `with x as (select * from json_to_recordset($2::json) as x(${ticketColumns})),
  c as (
    insert into conversations (id, tenant_id, number, kind, status, customer_id, assignee_id, team_id, subject,
      priority, last_seq, last_message_at, assigned_at, first_response_at, escalated_at, resolved_at, closed_at,
      archived_at, rating, feedback, created_at, updated_at)
    select conversation_id, $1, number, 'ticket', thread_status, customer_id, assignee_id, team_id, subject,
      case priority when 'medium' then 'normal' else priority end, messages, last_message_at, assigned_at,
      first_response_at, escalated_at, resolved_at, closed_at, archived_at, rating, feedback, created_at,
      coalesce(archived_at, last_activity_at)
    from x),
  p as (
    insert into participants (conversation_id, user_id, tenant_id, role, last_read_seq, notified_seq, joined_at)
    select conversation_id, customer_id, $1, 'customer', messages, messages, created_at from x
    union all
    select conversation_id, assignee_id, $1, 'agent', messages, messages, assigned_at from x
    where assignee_id is not null)
  insert into tickets (id, tenant_id, number, conversation_id, customer_id, assignee_id, team_id, subject,
    description, category, priority, status, source, rating, feedback, rated_at, first_response_due_at, sla_due_at,
    sla_paused_at, sla_breached_at, first_response_at, assigned_at, escalated_at, resolved_at, closed_at,
    archived_at, last_activity_at, ip, user_agent, created_at, updated_at)
  select id, $1, number, conversation_id, customer_id, assignee_id, team_id, subject, description, category,
    priority, status, 'form', rating, feedback, rated_at, first_response_due_at, sla_due_at, sla_paused_at,
    sla_breached_at, first_response_at, assigned_at, escalated_at, resolved_at, closed_at, archived_at,
    last_activity_at, '203.0.113.' || (number % 250 + 1), 'Mozilla/5.0 (scale fill)', created_at,
    coalesce(archived_at, last_activity_at)
  from x`;

/**
 * The messages of tickets numbered $2..$3: the description opens each thread (from the customer); then the
 * customer and the assignee take turns once someone answered, one staff message in 13 being an internal note;
 * times run from the first answer to the ticket's last activity. $4 is the pool's size, $5 its notes'.
 */
const insertMessages = `with m as (
    select t.conversation_id, t.number::bigint as number, s.seq, c.last_seq, t.description, t.customer_id,
      t.assignee_id, t.created_at, t.last_activity_at,
      coalesce(t.first_response_at, t.created_at + (t.last_activity_at - t.created_at) * 0.3) as second_at,
      (s.seq % 2 = 0 and t.first_response_at is not null and t.assignee_id is not null) as staff
    from tickets t
    join conversations c on c.id = t.conversation_id
    cross join lateral generate_series(1, c.last_seq) as s(seq)
    where t.tenant_id = $1 and t.number between $2 and $3),
  n as (select m.*, m.staff and (m.number * 7 + m.seq) % 13 = 0 as note from m)
  insert into messages (tenant_id, conversation_id, seq, client_id, sender_id, sender_type, sender_name, body,
    internal, created_at)
  select $1, n.conversation_id, n.seq, case when n.seq = 1 then 'ticket-' || n.conversation_id end,
    case when n.staff then n.assignee_id else n.customer_id end,
    case when n.staff then 'staff' else 'customer' end,
    case when n.staff then au.name else cu.name end,
    case when n.seq = 1 then n.description else b.body end,
    n.note,
    case when n.seq = 1 then n.created_at
      else n.second_at + (n.last_activity_at - n.second_at) * ((n.seq - 2)::float8 / greatest(n.last_seq - 2, 1)) end
  from n
  join users cu on cu.id = n.customer_id
  left join users au on au.id = n.assignee_id
  left join fill_bodies b on b.id = case
    when n.seq = 1 then -1
    when n.note then 2 * $4 + (n.number * 31 + n.seq) % $5
    when n.staff then $4 + (n.number * 7919 + n.seq * 104729) % $4
    else (n.number * 104729 + n.seq * 7919) % $4 end`;

/** The audit trail's entries in their chain's order: the sequence follows the array. */
const insertActivity = `insert into activity (tenant_id, actor_id, actor_type, actor_name, action, subject_type,
    subject_id, old_value, new_value, ip, user_agent, metadata, created_at, prev_hash, hash)
  select tenant_id, actor_id, actor_type, actor_name, action, subject_type, subject_id, old_value, new_value, ip,
    user_agent, metadata, created_at, prev_hash, hash
  from rows from (json_to_recordset($1::json) as (tenant_id uuid, actor_id uuid, actor_type text,
    actor_name text, action text, subject_type text, subject_id text, old_value jsonb, new_value jsonb, ip text,
    user_agent text, metadata jsonb, created_at timestamptz, prev_hash text, hash text)) with ordinality as x
  order by x.ordinality`;

/** How far back the audit trail is filled: what /stats reads (7 days) and its 30-day window, with room. */
export const activityDays = 35;

export interface Written {
  rows: number;
  tickets: number;
  messages: number;
}

/** Writes the tenant; `onRows` hears of each chunk's rows as it commits within the transaction. */
export async function writeTenant(
  client: pg.Client,
  plan: TenantPlan,
  pool: { size: number; notes: number },
  passwordHash: string,
  now: number,
  onRows: (w: Written) => void,
): Promise<void> {
  const { size } = plan;
  await client.query("begin");
  // Compiling each chunk's statement would cost more than it saves.
  await client.query("set local jit = off");
  try {
    const tenantId = (
      await client.query<{ id: string }>("insert into tenants (slug, name) values ($1, $2) returning id", [
        size.slug,
        plan.name,
      ])
    ).rows[0]!.id;
    await client.query(
      `insert into teams (id, tenant_id, name, lead_id)
       select id, $1, name, lead_id from json_to_recordset($2::json) as x(id uuid, name text, lead_id uuid)`,
      [tenantId, JSON.stringify(plan.teams.map((t) => ({ id: t.id, name: t.name, lead_id: t.leadId })))],
    );
    // People joined before the first ticket; everyone shares one password hash (argon2 is slow on purpose).
    await client.query(
      `insert into users (id, tenant_id, email, name, password_hash, role, team_id, created_at, updated_at)
       select id, $1, email, name, $3, role, "teamId", now() - interval '760 days', now() - interval '760 days'
       from json_to_recordset($2::json) as x(id uuid, email text, name text, role text, "teamId" uuid)`,
      [tenantId, JSON.stringify([...plan.staff, ...plan.customers]), passwordHash],
    );
    onRows({
      rows: plan.staff.length + plan.customers.length + plan.teams.length + 1,
      tickets: 0,
      messages: 0,
    });
    for (let from = 0; from < plan.tickets.length; from += chunkSize) {
      const chunk = plan.tickets.slice(from, from + chunkSize);
      const json = JSON.stringify(
        chunk.map((t) => ({ ...t, thread_status: threadStatus(t), last_message_at: lastMessageAt(t) })),
      );
      await client.query(insertTickets, [tenantId, json]);
      const inserted = await client.query(insertMessages, [
        tenantId,
        chunk[0]!.number,
        chunk.at(-1)!.number,
        pool.size,
        pool.notes,
      ]);
      const participants = chunk.reduce((n, t) => n + (t.assignee_id ? 2 : 1), 0);
      const messages = inserted.rowCount ?? 0;
      onRows({ rows: chunk.length * 2 + participants + messages, tickets: chunk.length, messages });
    }
    await client.query(
      `insert into counters (tenant_id, name, value) values ($1, 'ticket', $2), ($1, 'conversation', $2)`,
      [tenantId, size.tickets],
    );
    const trail = recentActivity(plan, tenantId, now, activityDays);
    for (let from = 0; from < trail.length; from += 5000) {
      const chunk = trail.slice(from, from + 5000);
      await client.query(insertActivity, [JSON.stringify(chunk)]);
      onRows({ rows: chunk.length, tickets: 0, messages: 0 });
    }
    await verify(client, tenantId, plan);
    await client.query("commit");
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  }
}

/** What was written adds up before it commits: counts, the counters, and each thread's last seq. */
async function verify(client: pg.Client, tenantId: string, plan: TenantPlan) {
  const { rows } = await client.query<{ tickets: number; messages: number; bad_threads: number }>(
    `select (select count(*)::int from tickets where tenant_id = $1) as tickets,
       (select count(*)::int from messages where tenant_id = $1) as messages,
       (select count(*)::int from conversations c where c.tenant_id = $1 and c.last_seq <>
         (select max(seq) from messages m where m.conversation_id = c.id)) as bad_threads`,
    [tenantId],
  );
  const got = rows[0]!;
  if (got.tickets !== plan.size.tickets || got.messages !== plan.size.messages || got.bad_threads !== 0)
    throw new Error(
      `${plan.size.slug} does not add up: ${got.tickets}/${plan.size.tickets} tickets, ` +
        `${got.messages}/${plan.size.messages} messages, ${got.bad_threads} threads whose last_seq is off`,
    );
}
