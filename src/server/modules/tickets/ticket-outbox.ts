import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Settings } from "../../../protocol/settings";
import type { Tx } from "../../db/client";
import { conversations, outbox, tickets, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { type OutboxRow, type StillWanted, waitingToSend } from "../notifications/outbox-delivery";
import { tenantSettings } from "../settings/tenant-settings";
import type { MailText } from "./ticket-mail.template";

/** Outbox kinds of ticket emails; each row's metadata names its ticket (or chat) and its recipient (userId). */
export const ticketMailKinds = {
  confirmation: "ticket.confirmation",
  newTicket: "ticket.new",
  reply: "ticket.reply",
  status: "ticket.status",
  rating: "ticket.rating_request",
  chatRating: "conversation.rating_request",
  escalated: "ticket.escalated",
} as const;

export interface Person {
  id: string;
  email: string;
  name: string;
}

export interface MailContext {
  publicUrl: string;
  batchSeconds: number;
  settings: Settings;
}

/**
 * What links and batching need. Without the app's services (scripts that build data) nothing is mailed: an email
 * whose link leads nowhere helps nobody.
 */
export async function mailContext(scope: Scope): Promise<MailContext | null> {
  const config = scope.services?.config;
  if (!config) return null;
  return {
    publicUrl: config.publicUrl,
    batchSeconds: config.mailBatchSeconds,
    settings: await tenantSettings(scope),
  };
}

/** An active person of the tenant (a deactivated one is mailed nothing). */
export async function person(scope: Scope, id: string | null): Promise<Person | undefined> {
  if (!id) return undefined;
  const [found] = await scope.tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.id, id), ne(users.status, "deactivated")));
  return found;
}

/** Active staff of the given roles, leaving out whoever acts (they know what they did). */
export function staffWithRoles(scope: Scope, roles: Array<"team_lead" | "supervisor" | "admin">) {
  const actor = scope.actor.id;
  return scope.tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(
      and(eq(users.status, "active"), inArray(users.role, roles), actor ? ne(users.id, actor) : undefined),
    );
}

/** Writes one email into the outbox, in the transaction of what caused it: it goes out only if that commits. */
export async function queueMail(
  scope: Scope,
  kind: string,
  to: Person,
  text: MailText,
  metadata: Record<string, unknown>,
  delaySeconds = 0,
): Promise<void> {
  await scope.tx.insert(outbox).values({
    tenantId: scope.tenantId,
    kind,
    recipient: to.email,
    subject: text.subject,
    body: text.body,
    metadata: { ...metadata, userId: to.id },
    ...(delaySeconds > 0 ? { sendAfter: sql`now() + ${delaySeconds}::float8 * interval '1 second'` } : {}),
  });
}

/** The email of this kind and key that has not started going out, so it may still be rewritten. */
export async function pendingMail(
  scope: Scope,
  kind: string,
  key: Record<string, string>,
): Promise<OutboxRow | undefined> {
  const [row] = await scope.tx
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.kind, kind), waitingToSend, sql`${outbox.metadata} @> ${JSON.stringify(key)}::jsonb`),
    )
    .limit(1);
  return row;
}

/** False when a worker claimed the email meanwhile: then what is new needs an email of its own. */
export async function rewriteMail(
  scope: Scope,
  row: OutboxRow,
  text: MailText,
  metadata: Record<string, unknown>,
): Promise<boolean> {
  const updated = await scope.tx
    .update(outbox)
    .set({ subject: text.subject, body: text.body, metadata: { ...row.metadata, ...metadata } })
    .where(and(eq(outbox.id, row.id), waitingToSend))
    .returning({ id: outbox.id });
  return updated.length > 0;
}

const done = (status: string | undefined) => status === "resolved" || status === "closed";
const idOf = (row: OutboxRow, key: string) => {
  const v = row.metadata[key];
  return typeof v === "string" ? v : "";
};

async function ticketState(tx: Tx, row: OutboxRow) {
  const [t] = await tx
    .select({ status: tickets.status, rating: tickets.rating })
    .from(tickets)
    .where(eq(tickets.id, idOf(row, "ticketId")));
  return t;
}

/**
 * Checked when a delayed email falls due: a status email only while the ticket still has the status it tells
 * (the customer may have reopened it meanwhile), a rating request only while the thing is done and unrated.
 */
export const ticketMailStillWanted: Record<string, StillWanted> = {
  [ticketMailKinds.status]: async (tx, row) => (await ticketState(tx, row))?.status === row.metadata.status,
  [ticketMailKinds.rating]: async (tx, row) => {
    const t = await ticketState(tx, row);
    return !!t && done(t.status) && t.rating === null;
  },
  [ticketMailKinds.chatRating]: async (tx, row) => {
    const [c] = await tx
      .select({ status: conversations.status, rating: conversations.rating })
      .from(conversations)
      .where(eq(conversations.id, idOf(row, "conversationId")));
    return !!c && done(c.status) && c.rating === null;
  },
};
