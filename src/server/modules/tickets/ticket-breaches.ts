import { and, asc, eq, isNull, lte, notInArray, or, type SQL, sql } from "drizzle-orm";
import { tickets } from "../../db/schema";
import { inSystem } from "../../db/tenant-scope";
import type { Deps } from "../../lib/deps";
import { runScoped, type Scope, systemActor } from "../../lib/scope";
import { describeError } from "../notifications/mail-transport";
import { announceTicket } from "./ticket.events";
import { recordTicketActivity } from "./ticket-activity";
import { notifyTicketEscalation } from "./ticket-escalation";
import { mailTicketChanges } from "./ticket-mail";
import { statusTimes } from "./update-ticket";

type Row = typeof tickets.$inferSelect;

/** How many tickets one tenant's transaction breaches at most; the clock's next tick takes the rest. */
const batchSize = 100;

/**
 * Past a due time with the clock running and not yet flagged: the first response is missing past its due time,
 * or the ticket is not resolved or closed past its resolution due time. A paused clock (waiting on the customer)
 * never breaches. Matches the partial index `tickets_sla_open`.
 */
const late: SQL = and(
  isNull(tickets.slaBreachedAt),
  isNull(tickets.slaPausedAt),
  isNull(tickets.archivedAt),
  notInArray(tickets.status, ["resolved", "closed", "waiting_on_customer"]),
  or(
    lte(tickets.slaDueAt, sql`now()`),
    and(isNull(tickets.firstResponseAt), lte(tickets.firstResponseDueAt, sql`now()`)),
  ),
)!;

/** The target a late ticket missed first: the first response when that is missing and due, else the resolution. */
function missed(t: Row, now: Date): { target: "first_response" | "resolution"; dueAt: Date } {
  const resolutionLate = !!t.slaDueAt && t.slaDueAt <= now;
  // Selected by the database's clock: a ticket whose resolution is not late here was picked for its first response.
  if (!t.firstResponseAt && t.firstResponseDueAt && (t.firstResponseDueAt <= now || !resolutionLate))
    return { target: "first_response", dueAt: t.firstResponseDueAt };
  return { target: "resolution", dueAt: t.slaDueAt ?? now };
}

/**
 * Flags one tenant's late tickets, once each: the breach is recorded, the ticket escalated (if it was not already),
 * staff and the customer hear of it, and the team lead (or those above) is told live and by email. Rows are locked
 * with SKIP LOCKED and the condition is checked again on the locked row, so server processes sweeping at once
 * never flag a ticket twice, nor wait for each other or for someone working on the ticket (it is taken next tick).
 * Lock order as everywhere: the ticket's row, then the audit trail's lock.
 */
export async function breachLateTickets(scope: Scope): Promise<number> {
  const rows = await scope.tx
    .select()
    .from(tickets)
    .where(late)
    .orderBy(asc(tickets.slaDueAt))
    .limit(batchSize)
    .for("update", { skipLocked: true });
  for (const t of rows) await breach(scope, t);
  return rows.length;
}

async function breach(scope: Scope, t: Row): Promise<void> {
  const now = new Date();
  const { target, dueAt } = missed(t, now);
  const escalate = t.status !== "escalated";
  const [after] = await scope.tx
    .update(tickets)
    .set({
      slaBreachedAt: now,
      ...(escalate ? statusTimes(t, "escalated", now) : {}),
      updatedAt: now,
      lastActivityAt: now,
    })
    .where(eq(tickets.id, t.id))
    .returning();
  await recordTicketActivity(scope, after!, "sla_breached", {
    newValue: { target, dueAt: dueAt.toISOString() },
  });
  if (escalate)
    await recordTicketActivity(scope, after!, "escalated", {
      oldValue: { status: t.status },
      newValue: { status: "escalated" },
      metadata: { cause: "sla_breached", target },
    });
  await announceTicket(scope, after!);
  await notifyTicketEscalation(scope, after!, { breach: { target, dueAt } });
  await mailTicketChanges(scope, t, after!);
}

/**
 * One sweep over every tenant with a late ticket (found as the platform, then each tenant in its own transaction
 * as the system), run by routing's clock on every server process.
 */
export async function sweepTicketBreaches(
  deps: Pick<Deps, "database" | "services" | "logger">,
): Promise<number> {
  const db = deps.database.db;
  let due: Array<{ tenantId: string }>;
  try {
    due = await inSystem(db, (tx) =>
      tx.selectDistinct({ tenantId: tickets.tenantId }).from(tickets).where(late),
    );
  } catch (err) {
    deps.logger.warn({ error: describeError(err) }, "late tickets could not be read");
    return 0;
  }
  let flagged = 0;
  for (const { tenantId } of due) {
    try {
      flagged += await runScoped(db, tenantId, systemActor, breachLateTickets, deps.services);
    } catch (err) {
      deps.logger.warn({ tenantId, error: describeError(err) }, "ticket breach sweep failed for a tenant");
    }
  }
  return flagged;
}
