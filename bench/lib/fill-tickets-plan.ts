/** One tenant's staff and the life of each of its tickets, for the scale fill (see fill-plan.ts). */
import { randomUUID } from "node:crypto";
import type { TicketCategory, TicketPriority, TicketStatus } from "../../src/protocol/enums";
import { defaultTicketSla } from "../../src/protocol/settings";
import type { Person, TenantSize } from "./fill-plan";
import { descriptionFor, feedback, pick, type Random, subjectFor, weighted } from "./fill-text";

const minute = 60_000;
const day = 24 * 60 * minute;

export interface TicketPlan {
  id: string;
  conversation_id: string;
  number: number;
  customer_id: string;
  customer_name: string;
  assignee_id: string | null;
  assignee_name: string | null;
  team_id: string | null;
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  rating: number | null;
  feedback: string | null;
  rated_at: string | null;
  first_response_due_at: string;
  sla_due_at: string;
  sla_paused_at: string | null;
  sla_breached_at: string | null;
  first_response_at: string | null;
  assigned_at: string | null;
  escalated_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  archived_at: string | null;
  last_activity_at: string;
  created_at: string;
  /** The thread: how many messages, and when the second one came (the first is the description). */
  messages: number;
  second_at: string;
}

const categories: Array<[TicketCategory, number]> = [
  ["technical", 25],
  ["billing", 20],
  ["account", 18],
  ["general", 12],
  ["bug_report", 10],
  ["feature_request", 7],
  ["security", 5],
  ["compliance", 3],
];
const priorities: Array<[TicketPriority, number]> = [
  ["low", 20],
  ["medium", 50],
  ["high", 22],
  ["urgent", 8],
];
const openStatuses: Array<[TicketStatus, number]> = [
  ["open", 40],
  ["in_progress", 32],
  ["waiting_on_customer", 18],
  ["waiting_on_admin", 10],
];
const scores: Array<[number, number]> = [
  [5, 45],
  [4, 25],
  [3, 12],
  [2, 8],
  [1, 10],
];

/** Around 1 with a long tail: how much sooner or later than its target a piece of work is done. */
const spread = (random: Random, sigma: number) =>
  Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
const iso = (ms: number) => new Date(ms).toISOString();

interface Context {
  size: TenantSize;
  staff: Person[];
  customers: Person[];
  now: number;
}

/**
 * Tickets over the last two years, more of them recently; old ones are done (resolved or closed, archived after
 * 180 days as retention does), recent ones spread over the open statuses. Open tickets past their resolution
 * target carry the breach and the escalation the service-level check would have made.
 */
export function ticketPlan(random: Random, { size, staff, customers, now }: Context): TicketPlan[] {
  const workers = staff.filter((p) => p.role === "agent" || p.role === "team_lead");
  const workerWeights = workers.map((p, k): [Person, number] => [
    p,
    p.role === "team_lead" ? 0.5 : 1 + (k % 4),
  ]);
  // Volume grows threefold over the two years: density 1 + 2x at x (0 two years ago, 1 now), drawn by its inverse.
  const created = Array.from(
    { length: size.tickets },
    () => now - Math.max(minute, 730 * day * (1 - (Math.sqrt(1 + 8 * random()) - 1) / 2)),
  );
  created.sort((a, b) => a - b);
  const plans = created.map((at, i): TicketPlan & { weight: number } => {
    const age = now - at;
    const category = weighted(random, categories);
    const priority = weighted(random, priorities);
    const sla = defaultTicketSla[priority];
    const firstDue = at + sla.firstResponseMinutes * minute;
    const slaDue = at + sla.resolutionMinutes * minute;
    // Work gets done at about the pace of the target; a few old tickets are left behind (a stale backlog).
    const done = random() < (age > 21 * day ? 0.998 : 1 - Math.exp(-age / (sla.resolutionMinutes * minute)));
    let status: TicketStatus = done
      ? random() < (age > 21 * day ? 0.7 : 0.3)
        ? "closed"
        : "resolved"
      : weighted(random, openStatuses);
    const customer = customers[Math.floor(customers.length * random() ** 1.5)]!;
    const assignee = done || status !== "open" || random() < 0.5 ? weighted(random, workerWeights) : null;
    let firstResponse: number | null = null;
    if (assignee && (status !== "open" || random() < 0.5))
      firstResponse = Math.min(at + sla.firstResponseMinutes * minute * 0.4 * spread(random, 0.8), now);
    let resolved: number | null = null;
    let closed: number | null = null;
    if (done) {
      resolved = at + Math.max(5 * minute, sla.resolutionMinutes * minute * 0.35 * spread(random, 0.9));
      if (resolved > now) resolved = at + (now - at) * (0.5 + 0.5 * random());
      firstResponse = Math.min(firstResponse ?? resolved, at + (resolved - at) * 0.5);
      if (status === "closed") closed = Math.min(now, resolved + minute * 60 * (1 + random() * 160));
    }
    let last = done
      ? (closed ?? resolved!)
      : Math.max(firstResponse ?? at, at + (now - at) * (0.3 + 0.7 * random()));
    const pausedAt = status === "waiting_on_customer" ? last : null;
    // As the service-level sweep leaves them: past the resolution target, or unanswered past the first-response one.
    const end = resolved ?? pausedAt ?? now;
    const breached = end > slaDue ? slaDue : firstResponse === null && end > firstDue ? firstDue : null;
    if (breached && !done && !pausedAt) status = "escalated";
    const rated = done && random() < 0.4;
    const ratedAt = rated ? Math.min(now, resolved! + minute * (10 + random() * 2870)) : null;
    if (ratedAt && ratedAt > last) last = ratedAt;
    const finished = closed ?? resolved;
    const archived =
      finished !== null && finished < now - 180 * day
        ? Math.min(now, finished + 180 * day + random() * 30 * day)
        : null;
    const subject = subjectFor(random, category);
    const weight = (firstResponse === null ? 0.15 : done ? 1 : 0.6) * (0.2 - Math.log(1 - random()));
    return {
      id: randomUUID(),
      conversation_id: randomUUID(),
      number: i + 1,
      customer_id: customer.id,
      customer_name: customer.name,
      assignee_id: assignee?.id ?? null,
      assignee_name: assignee?.name ?? null,
      team_id: assignee?.teamId ?? null,
      subject,
      description: descriptionFor(random, subject),
      category,
      priority,
      status,
      rating: rated ? weighted(random, scores) : null,
      feedback: rated && random() < 0.3 ? pick(random, feedback) : null,
      rated_at: ratedAt ? iso(ratedAt) : null,
      first_response_due_at: iso(firstDue),
      sla_due_at: iso(slaDue),
      sla_paused_at: pausedAt ? iso(pausedAt) : null,
      sla_breached_at: breached ? iso(breached) : null,
      first_response_at: firstResponse ? iso(firstResponse) : null,
      assigned_at: assignee ? iso(Math.min(firstResponse ?? now, at + 30 * minute)) : null,
      escalated_at: breached ? iso(breached) : null,
      resolved_at: resolved ? iso(resolved) : null,
      closed_at: closed ? iso(closed) : null,
      archived_at: archived ? iso(archived) : null,
      last_activity_at: iso(last),
      created_at: iso(at),
      messages: 1,
      second_at: iso(firstResponse ?? at + (last - at) * 0.3),
      weight,
    };
  });
  spreadMessages(random, plans, size.messages - size.tickets);
  return plans.map(({ weight: _, ...plan }) => plan);
}

/** Gives each ticket its share of the tenant's replies beyond the first message, summing exactly. */
function spreadMessages(random: Random, plans: Array<TicketPlan & { weight: number }>, extra: number) {
  const total = plans.reduce((s, p) => s + p.weight, 0);
  let given = 0;
  for (const p of plans) {
    const n = Math.floor((extra * p.weight) / total);
    p.messages += n;
    given += n;
  }
  for (; given < extra; given++) plans[Math.floor(random() * plans.length)]!.messages += 1;
}
