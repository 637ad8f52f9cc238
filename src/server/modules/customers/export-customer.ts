import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { ticketReference } from "../../../protocol/ticket";
import {
  apiTokens,
  attachments,
  calls,
  conversations,
  messages,
  sessions,
  tenants,
  tickets,
} from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { visibleTo } from "../conversations/conversation.policy";
import { ticketsVisibleTo } from "../tickets/ticket.policy";
import { presentTickets } from "../tickets/ticket.presenter";
import { listTicketActivity } from "../tickets/ticket-activity";
import { loadCustomer } from "./load-customer";

/** Said once in every export, so whoever reads it knows what is not there and why. */
export const exportNotes = {
  internalNotes:
    "Left out: staff's internal notes. They are the staff's working notes about a conversation, never shown to " +
    "the customer; this export holds what the customer said and was told.",
  ticketTrail: "Each ticket's trail holds the entries the customer can see, without addresses or browsers.",
  attachments:
    "Files are listed with their details; each one can be downloaded from its url while it exists.",
  secrets: "Passwords, session tokens and API tokens are stored only as one-way hashes and are not exported.",
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Everything the tenant holds about one customer, as the customer would see it, for a data-subject access
 * request (GDPR art. 15 and 20). Recorded in the audit trail with counts, never the content.
 */
export async function exportCustomer(scope: Scope, id: string) {
  const person = await loadCustomer(scope, id);
  const viewer = { id, role: "customer" as const };
  const [tenant] = await scope.tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants);

  const chats = await scope.tx
    .select()
    .from(conversations)
    .where(visibleTo(viewer))
    .orderBy(asc(conversations.createdAt));
  const chatIds = chats.map((c) => c.id);
  const said = chatIds.length
    ? await scope.tx
        .select()
        .from(messages)
        .where(and(inArray(messages.conversationId, chatIds), eq(messages.internal, false)))
        .orderBy(asc(messages.conversationId), asc(messages.seq))
    : [];
  const files = await scope.tx
    .select()
    .from(attachments)
    .where(
      or(
        chatIds.length ? inArray(attachments.conversationId, chatIds) : undefined,
        and(eq(attachments.uploaderId, id), isNull(attachments.messageId)),
      ),
    );
  const filesOf = (messageId: string) =>
    files
      .filter((f) => f.messageId === messageId)
      .map((f) => ({ id: f.id, name: f.name, mime: f.mime, size: f.size }));
  const publicMessageIds = new Set(said.map((m) => m.id));

  const ticketRows = await scope.tx
    .select()
    .from(tickets)
    .where(ticketsVisibleTo(viewer))
    .orderBy(asc(tickets.number));
  const presented = await presentTickets(scope, viewer, ticketRows);
  const ticketList = [];
  for (const [i, row] of ticketRows.entries()) {
    ticketList.push({ ...presented[i]!, activity: await listTicketActivity(scope, viewer, row) });
  }

  const theirCalls = await scope.tx
    .select()
    .from(calls)
    .where(eq(calls.customerId, id))
    .orderBy(asc(calls.queuedAt));
  const ownSessions = await scope.tx.select().from(sessions).where(eq(sessions.userId, id));
  const ownTokens = await scope.tx.select().from(apiTokens).where(eq(apiTokens.userId, id));

  const result = {
    format: "switchboard.customer-export/1",
    exportedAt: new Date().toISOString(),
    tenant: tenant ?? null,
    notes: exportNotes,
    profile: {
      id: person.id,
      email: person.email,
      name: person.name,
      status: person.status,
      lead: person.leadStatus !== null,
      externalId: person.externalId,
      createdAt: iso(person.createdAt),
      updatedAt: iso(person.updatedAt),
      lastSeenAt: iso(person.lastSeenAt),
    },
    conversations: chats.map((c) => ({
      id: c.id,
      number: c.number,
      kind: c.kind,
      status: c.status,
      subject: c.subject,
      createdAt: iso(c.createdAt),
      resolvedAt: iso(c.resolvedAt),
      closedAt: iso(c.closedAt),
      archivedAt: iso(c.archivedAt),
      messages: said
        .filter((m) => m.conversationId === c.id)
        .map((m) => ({
          seq: m.seq,
          sender: { name: m.senderName, type: m.senderType, you: m.senderId === id },
          body: m.body,
          masked: m.masked,
          attachments: filesOf(m.id),
          createdAt: iso(m.createdAt),
          editedAt: iso(m.editedAt),
        })),
    })),
    tickets: ticketList,
    ratings: [
      ...chats
        .filter((c) => c.rating !== null && c.customerId === id)
        .map((c) => ({
          of: "conversation",
          id: c.id,
          number: c.number,
          score: c.rating,
          comment: c.feedback,
        })),
      ...ticketRows
        .filter((t) => t.rating !== null)
        .map((t) => ({
          of: "ticket",
          id: t.id,
          reference: ticketReference(t.number),
          score: t.rating,
          comment: t.feedback,
          ratedAt: iso(t.ratedAt),
        })),
    ],
    attachments: files
      .filter((f) => (f.messageId ? publicMessageIds.has(f.messageId) : f.uploaderId === id))
      .map((f) => ({
        id: f.id,
        name: f.name,
        mime: f.mime,
        size: f.size,
        uploadedByYou: f.uploaderId === id,
        conversationId: f.conversationId,
        createdAt: iso(f.createdAt),
        url: `/api/v1/uploads/${f.id}`,
      })),
    calls: theirCalls.map((c) => ({
      id: c.id,
      status: c.status,
      conversationId: c.conversationId,
      queuedAt: iso(c.queuedAt),
      answeredAt: iso(c.answeredAt),
      endedAt: iso(c.endedAt),
      durationSeconds: c.durationSeconds,
      recorded: c.recordingId !== null,
    })),
    sessions: ownSessions.map((s) => ({
      id: s.id,
      ip: s.ip,
      userAgent: s.userAgent,
      createdAt: iso(s.createdAt),
      lastUsedAt: iso(s.lastUsedAt),
      expiresAt: iso(s.expiresAt),
      revokedAt: iso(s.revokedAt),
    })),
    apiTokens: ownTokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: iso(t.createdAt),
      lastUsedAt: iso(t.lastUsedAt),
      expiresAt: iso(t.expiresAt),
      revokedAt: iso(t.revokedAt),
    })),
  };
  await recordActivity(scope, {
    action: "customer.exported",
    subjectType: "user",
    subjectId: id,
    metadata: {
      conversations: result.conversations.length,
      messages: said.length,
      tickets: result.tickets.length,
      calls: result.calls.length,
      attachments: result.attachments.length,
    },
  });
  return result;
}

export type CustomerExport = Awaited<ReturnType<typeof exportCustomer>>;
