import { and, eq, ne } from "drizzle-orm";
import { ticketReference } from "../../../protocol/ticket";
import { teams, type tickets, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { type EscalationCause, escalationMail } from "./ticket-mail.template";
import { mailContext, type Person, queueMail, staffWithRoles, ticketMailKinds } from "./ticket-outbox";

type Row = typeof tickets.$inferSelect;

/**
 * Who hears of an escalated ticket: the lead of the assignee's team (or of the ticket's team), unless that lead
 * holds the ticket or escalated it themselves; otherwise the tenant's supervisors and admins, since escalating
 * means going above whoever has it.
 */
export async function escalationContacts(scope: Scope, t: Row): Promise<Person[]> {
  let teamId = t.teamId;
  if (t.assigneeId) {
    const [assignee] = await scope.tx
      .select({ teamId: users.teamId })
      .from(users)
      .where(eq(users.id, t.assigneeId));
    teamId = assignee?.teamId ?? teamId;
  }
  if (teamId) {
    const [lead] = await scope.tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(teams)
      .innerJoin(users, eq(users.id, teams.leadId))
      .where(and(eq(teams.id, teamId), eq(users.status, "active"), ne(users.role, "customer")));
    if (lead && lead.id !== t.assigneeId && lead.id !== scope.actor.id) return [lead];
  }
  return staffWithRoles(scope, ["supervisor", "admin"]);
}

const targetWords = (target: "first_response" | "resolution") =>
  target === "first_response" ? "first-response" : "resolution";

/** Tells those above of an escalation: live in their app (after commit) and by email through the outbox. */
export async function notifyTicketEscalation(
  scope: Scope,
  t: Row,
  cause: EscalationCause,
): Promise<Person[]> {
  const people = await escalationContacts(scope, t);
  if (!people.length) return people;
  const reference = ticketReference(t.number);
  const notification = {
    kind: "by" in cause ? "ticket.escalated" : "ticket.sla_breached",
    title:
      "by" in cause
        ? `${reference} escalated by ${cause.by}`
        : `${reference} missed its ${targetWords(cause.breach.target)} target`,
    body: `${t.subject} (${t.priority} priority)`.slice(0, 300),
    link: `/console/tickets/${t.id}`,
  };
  const targets = people.map((p) => rooms.user(p.id));
  scope.afterCommit(() => scope.realtime?.emit(targets, "notification", notification));
  const context = await mailContext(scope);
  if (!context) return people;
  for (const p of people) {
    await queueMail(
      scope,
      ticketMailKinds.escalated,
      p,
      escalationMail(p.name, t, cause, context.publicUrl),
      {
        ticketId: t.id,
        cause: "by" in cause ? "person" : "sla_breached",
      },
    );
  }
  return people;
}
