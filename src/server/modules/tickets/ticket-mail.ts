import { and, between, count, desc, eq, sql } from "drizzle-orm";
import type { MessageView } from "../../../protocol/events";
import { type conversations, messages, participants, type tickets, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { quotedMessages } from "../notifications/offline-mail.template";
import { notifyTicketEscalation } from "./ticket-escalation";
import {
  confirmationMail,
  newTicketMail,
  portalChatLink,
  portalTicketLink,
  ratingMail,
  replyMail,
  statusMail,
} from "./ticket-mail.template";
import {
  ticketMailKinds as kinds,
  type MailContext,
  mailContext,
  type Person,
  pendingMail,
  person,
  queueMail,
  rewriteMail,
  staffWithRoles,
} from "./ticket-outbox";

type Row = typeof tickets.$inferSelect;
type Thread = typeof conversations.$inferSelect;

const done = (status: string) => status === "resolved" || status === "closed";

/**
 * A new ticket: its customer gets the confirmation with the reference; staff hear of it, bounded: the assignee if
 * it has one, else its team's lead, else the tenant's team leads and supervisors (never whoever opened it).
 */
export async function mailTicketCreated(scope: Scope, t: Row): Promise<void> {
  const context = await mailContext(scope);
  if (!context) return;
  const customer = await person(scope, t.customerId);
  if (customer)
    await queueMail(
      scope,
      kinds.confirmation,
      customer,
      confirmationMail(customer.name, t, context.publicUrl),
      {
        ticketId: t.id,
      },
    );
  const assignee = await person(scope, t.assigneeId);
  const staff = assignee ? [assignee] : await ticketWatchers(scope, t);
  for (const p of staff) {
    if (p.id === scope.actor.id) continue;
    const text = newTicketMail(p.name, t, customer?.name ?? "A customer", !!assignee, context.publicUrl);
    await queueMail(scope, kinds.newTicket, p, text, { ticketId: t.id });
  }
}

async function ticketWatchers(scope: Scope, t: Row): Promise<Person[]> {
  if (t.teamId) {
    const [lead] = await scope.tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(
        and(
          eq(users.status, "active"),
          eq(users.id, sql`(select lead_id from teams where teams.id = ${t.teamId})`),
        ),
      );
    if (lead) return [lead];
  }
  return staffWithRoles(scope, ["team_lead", "supervisor"]);
}

/**
 * After a ticket's status changed (by staff, its customer or the system): the customer is told, unless they made
 * the change themselves; entering resolved or closed asks for a rating (tenant setting `ratingEmails`); an
 * escalation by a person reaches the team lead or those above (a missed target's escalation is told by the breach
 * sweep, with its cause).
 */
export async function mailTicketChanges(scope: Scope, before: Row, after: Row): Promise<void> {
  if (before.status === after.status) return;
  const context = await mailContext(scope);
  if (!context) return;
  const customer = await person(scope, after.customerId);
  if (customer && customer.id !== scope.actor.id) await mailTicketStatus(scope, after, customer, context);
  if (
    customer &&
    done(after.status) &&
    !done(before.status) &&
    after.rating === null &&
    context.settings.ratingEmails
  ) {
    const text = ratingMail(
      customer.name,
      { kind: "ticket", ticket: after },
      portalTicketLink(context.publicUrl, after.id),
    );
    await queueMail(scope, kinds.rating, customer, text, { ticketId: after.id }, context.batchSeconds);
  }
  if (after.status === "escalated" && scope.actor.type !== "system")
    await notifyTicketEscalation(scope, after, { by: scope.actor.name });
}

/**
 * The customer's status email waits a batch window, and a change within it rewrites it: a ticket moved twice in a
 * minute makes one email with where it ended up.
 */
export async function mailTicketStatus(
  scope: Scope,
  t: Row,
  customer: Person,
  context: MailContext,
): Promise<void> {
  const text = statusMail(customer.name, t, t.status, context.publicUrl);
  const metadata = { ticketId: t.id, status: t.status };
  const pending = await pendingMail(scope, kinds.status, { ticketId: t.id, userId: customer.id });
  if (pending && (await rewriteMail(scope, pending, text, metadata))) return;
  await queueMail(scope, kinds.status, customer, text, metadata, context.batchSeconds);
}

/**
 * A message in a ticket's thread: a status it changed is mailed like every other status change, and staff's public replies in a
 * ticket's own thread reach the customer by email, batched like offline mail (a converted chat keeps the chat's
 * offline mail). Internal notes never make a customer email.
 */
export async function mailTicketMessage(
  scope: Scope,
  before: Row,
  after: Row,
  thread: Thread,
  message: MessageView,
): Promise<void> {
  await mailTicketChanges(scope, before, after);
  if (message.internal || message.sender.type !== "staff" || thread.kind !== "ticket") return;
  const context = await mailContext(scope);
  const customer = await person(scope, after.customerId);
  if (!context || !customer) return;
  const key = { ticketId: after.id, userId: customer.id };
  const pending = await pendingMail(scope, kinds.reply, key);
  const fromSeq = Number(pending?.metadata.fromSeq ?? message.seq);
  const compose = async (from: number) => {
    const batch = and(
      eq(messages.conversationId, thread.id),
      between(messages.seq, from, message.seq),
      eq(messages.senderType, "staff"),
      eq(messages.internal, false),
    );
    const [stats] = await scope.tx.select({ total: count() }).from(messages).where(batch);
    const latest = await scope.tx
      .select({ senderName: messages.senderName, body: messages.body })
      .from(messages)
      .where(batch)
      .orderBy(desc(messages.seq))
      .limit(quotedMessages);
    const total = Math.max(stats?.total ?? 0, latest.length);
    return replyMail(customer.name, after, latest.reverse(), total, context.publicUrl);
  };
  const metadata = { ticketId: after.id, fromSeq, toSeq: message.seq };
  if (!pending || !(await rewriteMail(scope, pending, await compose(fromSeq), metadata))) {
    const text = await compose(message.seq);
    await queueMail(
      scope,
      kinds.reply,
      customer,
      text,
      { ...metadata, fromSeq: message.seq },
      context.batchSeconds,
    );
  }
  // The thread's offline mail would tell the same reply again: it counts as mailed.
  await scope.tx
    .update(participants)
    .set({ notifiedSeq: sql`greatest(${participants.notifiedSeq}, ${message.seq})` })
    .where(and(eq(participants.conversationId, thread.id), eq(participants.userId, customer.id)));
}

/** A support chat that became resolved or closed asks its customer for a rating (tenant setting `ratingEmails`). */
export async function mailChatRatingRequest(scope: Scope, before: Thread, after: Thread): Promise<void> {
  if (after.kind !== "support" || !done(after.status) || done(before.status) || after.rating !== null) return;
  const context = await mailContext(scope);
  if (!context?.settings.ratingEmails) return;
  const customer = await person(scope, after.customerId);
  if (!customer) return;
  const text = ratingMail(
    customer.name,
    { kind: "chat", number: after.number, subject: after.subject },
    portalChatLink(context.publicUrl, after.id),
  );
  await queueMail(
    scope,
    kinds.chatRating,
    customer,
    text,
    { conversationId: after.id },
    context.batchSeconds,
  );
}
