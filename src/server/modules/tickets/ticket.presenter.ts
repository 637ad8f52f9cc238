import { inArray } from "drizzle-orm";
import { type Ticket, ticketReference } from "../../../protocol/ticket";
import { type tickets, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import type { Viewer } from "./ticket.policy";

type Row = typeof tickets.$inferSelect;

/** The ticket's JSON for REST and socket events; customers' emails only to staff and to themselves. */
export async function presentTickets(scope: Scope, viewer: Viewer | null, rows: Row[]): Promise<Ticket[]> {
  if (!rows.length) return [];
  const ids = [...new Set(rows.flatMap((r) => [r.customerId, r.assigneeId]).filter((x): x is string => !!x))];
  const people = ids.length
    ? await scope.tx
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, ids))
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const staffViewer = viewer === null || viewer.role !== "customer";
  return rows.map((r) => {
    const customer = r.customerId ? byId.get(r.customerId) : undefined;
    const assignee = r.assigneeId ? byId.get(r.assigneeId) : undefined;
    return {
      id: r.id,
      number: r.number,
      reference: ticketReference(r.number),
      conversationId: r.conversationId,
      subject: r.subject,
      description: r.description,
      category: r.category,
      priority: r.priority,
      status: r.status,
      source: r.source,
      customer: customer
        ? staffViewer || viewer?.id === customer.id
          ? customer
          : { id: customer.id, name: customer.name }
        : null,
      assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
      teamId: r.teamId,
      rating: r.rating,
      feedback: r.feedback,
      firstResponseDueAt: r.firstResponseDueAt?.toISOString() ?? null,
      slaDueAt: r.slaDueAt?.toISOString() ?? null,
      slaPaused: r.slaPausedAt !== null,
      slaBreachedAt: r.slaBreachedAt?.toISOString() ?? null,
      firstResponseAt: r.firstResponseAt?.toISOString() ?? null,
      assignedAt: r.assignedAt?.toISOString() ?? null,
      escalatedAt: r.escalatedAt?.toISOString() ?? null,
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      closedAt: r.closedAt?.toISOString() ?? null,
      archivedAt: r.archivedAt?.toISOString() ?? null,
      lastActivityAt: r.lastActivityAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function presentTicket(scope: Scope, viewer: Viewer | null, row: Row): Promise<Ticket> {
  return (await presentTickets(scope, viewer, [row]))[0]!;
}
