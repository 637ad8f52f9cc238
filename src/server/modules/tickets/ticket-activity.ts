import { and, asc, eq } from "drizzle-orm";
import {
  publicTicketActivity,
  type TicketActivity,
  type TicketActivityType,
  ticketActivityTypes,
  ticketReference,
} from "../../../protocol/ticket";
import { activity, type tickets } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import type { Viewer } from "./ticket.policy";

type Row = typeof tickets.$inferSelect;

/**
 * One entry of the ticket's trail. The trail is the tenant's hash-chained audit trail itself (subject "ticket"), so
 * it records actor, IP and user agent, and it survives the ticket's deletion.
 */
export function recordTicketActivity(
  scope: Scope,
  ticket: Pick<Row, "id" | "number">,
  type: TicketActivityType,
  change: { oldValue?: unknown; newValue?: unknown; metadata?: Record<string, unknown> } = {},
): Promise<void> {
  return recordActivity(scope, {
    action: `ticket.${type}`,
    subjectType: "ticket",
    subjectId: ticket.id,
    oldValue: change.oldValue,
    newValue: change.newValue,
    metadata: { reference: ticketReference(ticket.number), ...change.metadata },
  });
}

const words = (v: unknown) => String(v ?? "none").replaceAll("_", " ");
const field = (v: unknown, key: string) =>
  v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;

function describe(type: TicketActivityType, oldValue: unknown, newValue: unknown, actor: string): string {
  switch (type) {
    case "created":
      return `${actor} opened the ticket`;
    case "status_changed":
      return `${actor} changed the status from ${words(field(oldValue, "status"))} to ${words(field(newValue, "status"))}`;
    case "priority_changed":
      return `${actor} changed the priority from ${words(field(oldValue, "priority"))} to ${words(field(newValue, "priority"))}`;
    case "category_changed":
      return `${actor} changed the category from ${words(field(oldValue, "category"))} to ${words(field(newValue, "category"))}`;
    case "assigned":
      return `${actor} assigned the ticket to ${String(field(newValue, "assigneeName") ?? "someone")}`;
    case "unassigned":
      return `${actor} unassigned ${String(field(oldValue, "assigneeName") ?? "the ticket")}`;
    case "message_added":
      return `${actor} replied`;
    case "internal_note_added":
      return `${actor} added an internal note`;
    case "resolved":
      return `${actor} resolved the ticket`;
    case "closed":
      return `${actor} closed the ticket`;
    case "reopened":
      return `${actor} reopened the ticket`;
    case "escalated":
      return `${actor} escalated the ticket`;
    case "rated":
      return `${actor} rated the ticket ${String(field(newValue, "rating"))} out of 5`;
    case "sla_breached":
      return `The ticket missed its ${field(newValue, "target") === "first_response" ? "first-response" : "resolution"} target`;
    case "archived":
      return "The ticket was archived";
  }
}

const known = new Set<string>(ticketActivityTypes);

/** The ticket's trail in order: everything for staff, the public entries (without IP and user agent) for its customer. */
export async function listTicketActivity(
  scope: Scope,
  viewer: Viewer,
  ticket: Row,
): Promise<TicketActivity[]> {
  const rows = await scope.tx
    .select()
    .from(activity)
    .where(and(eq(activity.subjectType, "ticket"), eq(activity.subjectId, ticket.id)))
    .orderBy(asc(activity.seq));
  const staff = viewer.role !== "customer";
  return rows.flatMap((r) => {
    const type = r.action.replace(/^ticket\./, "");
    if (!known.has(type)) return [];
    const t = type as TicketActivityType;
    if (!staff && !publicTicketActivity.has(t)) return [];
    const actorType =
      r.actorType === "system" ? "system" : r.actorId === ticket.customerId ? "customer" : "staff";
    const name = actorType === "system" ? "Switchboard" : (r.actorName ?? "Someone");
    return [
      {
        id: r.id,
        type: t,
        actor: { id: r.actorId, name: actorType === "system" ? null : r.actorName, type: actorType },
        oldValue: r.oldValue,
        newValue: r.newValue,
        description: describe(t, r.oldValue, r.newValue, name),
        ...(staff ? { ip: r.ip, userAgent: r.userAgent } : {}),
        createdAt: r.createdAt.toISOString(),
      },
    ];
  });
}
