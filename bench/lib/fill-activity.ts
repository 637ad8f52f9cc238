/**
 * The recent part of a filled tenant's audit trail: every ticket event of the last `days` days (opened, assigned,
 * replies and internal notes, missed targets, escalations, resolutions, closings, ratings, archiving), chained and
 * hashed exactly as the server's recordActivity does, so /stats counts real entries and the chain verifies.
 * Older events are left out: nothing reads them but a single ticket's trail, and they would double the fill.
 */

import { ticketReference } from "../../src/protocol/ticket";
import { activityHash, genesisHash } from "../../src/server/modules/audit/record-activity";
import type { TenantPlan } from "./fill-plan";
import type { TicketPlan } from "./fill-tickets-plan";

type Actor = { id: string | null; name: string | null; type: "user" | "system" };

interface Event {
  at: number;
  actor: Actor;
  type: string;
  t: TicketPlan;
  oldValue?: unknown;
  newValue?: unknown;
  metadata?: Record<string, unknown>;
}

export interface ActivityRow {
  tenant_id: string;
  actor_id: string | null;
  actor_type: string;
  actor_name: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  old_value: unknown;
  new_value: unknown;
  ip: string | null;
  user_agent: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  prev_hash: string;
  hash: string;
}

const system: Actor = { id: null, name: "Switchboard", type: "system" };
const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);

/** The message times the database gives the thread (fill-sql.ts): the description, then evenly to the end. */
function messageEvents(t: TicketPlan, customer: Actor, assignee: Actor | null): Event[] {
  const created = ms(t.created_at)!;
  const last = ms(t.last_activity_at)!;
  const second = ms(t.first_response_at) ?? created + (last - created) * 0.3;
  const out: Event[] = [];
  for (let seq = 2; seq <= t.messages; seq++) {
    const staff = seq % 2 === 0 && t.first_response_at !== null && assignee !== null;
    const note = staff && (t.number * 7 + seq) % 13 === 0;
    out.push({
      at: second + ((last - second) * (seq - 2)) / Math.max(t.messages - 2, 1),
      actor: staff ? assignee! : customer,
      type: note ? "internal_note_added" : "message_added",
      t,
      metadata: { seq },
    });
  }
  return out;
}

function ticketEvents(t: TicketPlan): Event[] {
  const customer: Actor = { id: t.customer_id, name: t.customer_name, type: "user" };
  const assignee: Actor | null = t.assignee_id
    ? { id: t.assignee_id, name: t.assignee_name, type: "user" }
    : null;
  const events: Event[] = [
    {
      at: ms(t.created_at)!,
      actor: customer,
      type: "created",
      t,
      newValue: {
        subject: t.subject,
        category: t.category,
        priority: t.priority,
        status: "open",
        source: "form",
        assigneeId: null,
      },
    },
    ...messageEvents(t, customer, assignee),
  ];
  const add = (at: string | null, actor: Actor, type: string, change: Partial<Event> = {}) => {
    if (at) events.push({ at: ms(at)!, actor, type, t, ...change });
  };
  if (assignee)
    add(t.assigned_at, assignee, "assigned", {
      oldValue: { assigneeId: null, assigneeName: null },
      newValue: { assigneeId: t.assignee_id, assigneeName: t.assignee_name },
    });
  const target = t.first_response_at === null && !t.resolved_at ? "first_response" : "resolution";
  add(t.sla_breached_at, system, "sla_breached", { newValue: { target, dueAt: t.sla_breached_at } });
  add(t.escalated_at, system, "escalated", {
    oldValue: { status: "in_progress" },
    newValue: { status: "escalated" },
  });
  const staff = assignee ?? system;
  add(t.resolved_at, staff, "resolved", {
    oldValue: { status: "in_progress" },
    newValue: { status: "resolved" },
  });
  add(t.closed_at, staff, "closed", { oldValue: { status: "resolved" }, newValue: { status: "closed" } });
  add(t.rated_at, customer, "rated", { newValue: { rating: t.rating, feedback: t.feedback } });
  add(t.archived_at, system, "archived", { metadata: { archiveDays: 180 } });
  return events;
}

/** The tenant's trail entries from `now - days` to `now`, oldest first, each linked to the one before. */
export function recentActivity(plan: TenantPlan, tenantId: string, now: number, days: number): ActivityRow[] {
  const since = now - days * 24 * 3600_000;
  const events = plan.tickets
    .filter((t) => ms(t.last_activity_at)! >= since || (ms(t.archived_at) ?? 0) >= since)
    .flatMap(ticketEvents)
    .filter((e) => e.at >= since && e.at <= now)
    .sort((a, b) => a.at - b.at);
  let prevHash = genesisHash;
  return events.map((e) => {
    const user = e.actor.type === "user";
    const row = {
      tenantId,
      actorId: e.actor.id,
      actorType: e.actor.type,
      actorName: e.actor.name,
      action: `ticket.${e.type}`,
      subjectType: "ticket",
      subjectId: e.t.id,
      oldValue: e.oldValue ?? null,
      newValue: e.newValue ?? null,
      ip: user ? `203.0.113.${(e.t.number % 250) + 1}` : null,
      userAgent: user ? "Mozilla/5.0 (scale fill)" : null,
      metadata: { reference: ticketReference(e.t.number), ...e.metadata },
      createdAt: new Date(Math.round(e.at)),
      prevHash,
    };
    const hash = activityHash(row);
    prevHash = hash;
    return {
      tenant_id: tenantId,
      actor_id: row.actorId,
      actor_type: row.actorType,
      actor_name: row.actorName,
      action: row.action,
      subject_type: row.subjectType,
      subject_id: row.subjectId,
      old_value: row.oldValue,
      new_value: row.newValue,
      ip: row.ip,
      user_agent: row.userAgent,
      metadata: row.metadata,
      created_at: row.createdAt.toISOString(),
      prev_hash: row.prevHash,
      hash,
    };
  });
}
