import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import type { ConversationStatus, TicketStatus } from "../../../protocol/enums";
import { can } from "../../../protocol/roles";
import {
  customerMayMove,
  type Ticket,
  type TicketActivityType,
  ticketTransitions,
} from "../../../protocol/ticket";
import { conversations, participants, tickets, users } from "../../db/schema";
import { conflict, forbidden, invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { announceConversation } from "../conversations/conversation.events";
import { tenantSettings } from "../settings/tenant-settings";
import { loadTicket } from "./load-ticket";
import { announceTicket } from "./ticket.events";
import { ticketPolicy, type Viewer } from "./ticket.policy";
import { presentTicket } from "./ticket.presenter";
import { recordTicketActivity } from "./ticket-activity";
import { mailTicketChanges } from "./ticket-mail";
import { clockAfter } from "./ticket-sla";
import type { updateTicketBody } from "./tickets.schema";

type Row = typeof tickets.$inferSelect;
type Patch = z.infer<typeof updateTicketBody>;
type Change = { type: TicketActivityType; oldValue: unknown; newValue: unknown };

/** The kind of trail entry a status change makes: resolving, closing, reopening and escalating are named. */
export function statusActivity(from: TicketStatus, to: TicketStatus): TicketActivityType {
  if (to === "resolved" || to === "closed" || to === "escalated") return to;
  if (from === "resolved" || from === "closed") return "reopened";
  return "status_changed";
}

/** A ticket's own thread follows it: closed when it is closed, resolved when resolved, open otherwise. */
const threadStatus = (s: TicketStatus): ConversationStatus =>
  s === "closed" ? "closed" : s === "resolved" ? "resolved" : "open";

/** Timestamps that follow a status: resolved/closed set on arrival and cleared on reopening. */
export function statusTimes(t: Row, to: TicketStatus, now: Date): Partial<Row> {
  const reopened = to !== "resolved" && to !== "closed";
  return {
    status: to,
    resolvedAt:
      to === "resolved" ? now : to === "closed" ? (t.resolvedAt ?? now) : reopened ? null : t.resolvedAt,
    closedAt: to === "closed" ? now : null,
    escalatedAt: to === "escalated" ? now : t.escalatedAt,
  };
}

async function assigneeName(scope: Scope, id: string | null) {
  if (!id) return null;
  const [found] = await scope.tx
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.id, id), ne(users.role, "customer"), eq(users.status, "active")));
  if (!found) throw invalid({ assigneeId: "must be an active staff member of this tenant" });
  return found.name;
}

/**
 * Status, priority, category and assignment, each checked and each in the trail. Customers may only close and
 * reopen their own ticket; agents take or give back a ticket themselves, team leads and above assign anyone.
 */
export async function updateTicket(scope: Scope, viewer: Viewer, id: string, patch: Patch): Promise<Ticket> {
  const t = await loadTicket(scope, viewer, id, { forUpdate: true });
  if (t.archivedAt) throw conflict("This ticket is archived and read-only.");
  const staff = ticketPolicy.staff(viewer);
  if (!staff && (patch.priority || patch.category || patch.assigneeId !== undefined))
    throw forbidden("Customers may only close or reopen their ticket.");

  const now = new Date();
  const set: Partial<Row> = {};
  const log: Change[] = [];
  const status = patch.status && patch.status !== t.status ? patch.status : undefined;
  if (status) {
    const allowed = staff ? ticketTransitions[t.status].includes(status) : customerMayMove(t.status, status);
    if (!allowed) {
      if (!staff && status !== "open" && status !== "closed")
        throw forbidden("Customers may only close or reopen their ticket.");
      throw conflict(`A ticket cannot go from ${t.status} to ${status}.`);
    }
    Object.assign(set, statusTimes(t, status, now));
    log.push({
      type: statusActivity(t.status, status),
      oldValue: { status: t.status },
      newValue: { status },
    });
  }
  const priority = patch.priority && patch.priority !== t.priority ? patch.priority : undefined;
  if (priority) {
    set.priority = priority;
    log.push({ type: "priority_changed", oldValue: { priority: t.priority }, newValue: { priority } });
  }
  if (patch.category && patch.category !== t.category) {
    set.category = patch.category;
    log.push({
      type: "category_changed",
      oldValue: { category: t.category },
      newValue: { category: patch.category },
    });
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== t.assigneeId) {
    const mine = patch.assigneeId === viewer.id || (patch.assigneeId === null && t.assigneeId === viewer.id);
    if (!mine && !can(viewer.role, "chats.reassign"))
      throw forbidden("Agents take tickets themselves; a team lead assigns them to others.");
    const name = await assigneeName(scope, patch.assigneeId);
    const before = t.assigneeId
      ? await scope.tx.select({ name: users.name }).from(users).where(eq(users.id, t.assigneeId))
      : [];
    set.assigneeId = patch.assigneeId;
    set.assignedAt = patch.assigneeId ? now : null;
    log.push(
      patch.assigneeId
        ? {
            type: "assigned",
            oldValue: { assigneeId: t.assigneeId, assigneeName: before[0]?.name ?? null },
            newValue: { assigneeId: patch.assigneeId, assigneeName: name },
          }
        : {
            type: "unassigned",
            oldValue: { assigneeId: t.assigneeId, assigneeName: before[0]?.name ?? null },
            newValue: { assigneeId: null },
          },
    );
  }
  if (!log.length) return presentTicket(scope, viewer, t);

  if (status || priority) {
    Object.assign(
      set,
      clockAfter(await tenantSettings(scope), t, status ?? t.status, priority ?? t.priority, now),
    );
  }
  const [after] = await scope.tx
    .update(tickets)
    .set({ ...set, updatedAt: now, lastActivityAt: now })
    .where(eq(tickets.id, t.id))
    .returning();
  await syncThread(scope, after!, status !== undefined);
  for (const change of log) await recordTicketActivity(scope, after!, change.type, change);
  await announceTicket(scope, after!);
  await mailTicketChanges(scope, t, after!);
  return presentTicket(scope, viewer, after!);
}

/** A ticket's own thread mirrors its status and assignee; a converted chat keeps its own life. */
async function syncThread(scope: Scope, t: Row, statusChanged: boolean) {
  const [thread] = await scope.tx
    .select({ kind: conversations.kind })
    .from(conversations)
    .where(eq(conversations.id, t.conversationId));
  if (thread?.kind !== "ticket") return;
  const status = threadStatus(t.status);
  const [row] = await scope.tx
    .update(conversations)
    .set({
      assigneeId: t.assigneeId,
      ...(statusChanged
        ? { status, resolvedAt: t.resolvedAt, closedAt: status === "closed" ? t.closedAt : null }
        : {}),
      updatedAt: new Date(),
    })
    .where(eq(conversations.id, t.conversationId))
    .returning();
  await announceConversation(scope, row!);
  if (t.assigneeId)
    await scope.tx
      .insert(participants)
      .values({ conversationId: t.conversationId, userId: t.assigneeId, tenantId: t.tenantId, role: "agent" })
      .onConflictDoNothing();
}
