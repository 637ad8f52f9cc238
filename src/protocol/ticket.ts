import type { PersonRef } from "./conversation";
import type { TicketCategory, TicketPriority, TicketStatus } from "./enums";

export interface Ticket {
  id: string;
  /** Per tenant, gap-free. */
  number: number;
  /** How people quote it: TKT-000001. */
  reference: string;
  conversationId: string;
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  source: "form" | "chat" | "auto";
  customer: PersonRef | null;
  assignee: PersonRef | null;
  teamId: string | null;
  rating: number | null;
  feedback: string | null;
  firstResponseDueAt: string | null;
  slaDueAt: string | null;
  /** The service-level clock is stopped while the ticket waits on the customer. */
  slaPaused: boolean;
  slaBreachedAt: string | null;
  firstResponseAt: string | null;
  assignedAt: string | null;
  escalatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  archivedAt: string | null;
  lastActivityAt: string;
  createdAt: string;
  updatedAt: string;
}

/** One entry of a ticket's activity trail; customers get the public ones, without IP and user agent. */
export interface TicketActivity {
  id: string;
  type: TicketActivityType;
  actor: { id: string | null; name: string | null; type: "customer" | "staff" | "system" };
  oldValue: unknown;
  newValue: unknown;
  description: string;
  ip?: string | null;
  userAgent?: string | null;
  createdAt: string;
}

export const ticketActivityTypes = [
  "created",
  "status_changed",
  "priority_changed",
  "category_changed",
  "assigned",
  "unassigned",
  "message_added",
  "internal_note_added",
  "resolved",
  "closed",
  "reopened",
  "escalated",
  "rated",
  "sla_breached",
  "archived",
] as const;
export type TicketActivityType = (typeof ticketActivityTypes)[number];
/** What a customer may see of their own ticket's trail. */
export const publicTicketActivity: ReadonlySet<TicketActivityType> = new Set([
  "created",
  "status_changed",
  "priority_changed",
  "category_changed",
  "assigned",
  "message_added",
  "resolved",
  "closed",
  "reopened",
  "escalated",
  "rated",
]);

export const ticketReference = (n: number) => `TKT-${String(n).padStart(6, "0")}`;
/** "TKT-000042", "tkt-42", "#42" or "42" → 42. */
export function parseTicketReference(text: string): number | null {
  const m = /^\s*(?:tkt-?|#)?0*(\d{1,9})\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}

/** Where staff may move a ticket from each status. */
export const ticketTransitions: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ["in_progress", "waiting_on_customer", "waiting_on_admin", "escalated", "resolved", "closed"],
  in_progress: ["open", "waiting_on_customer", "waiting_on_admin", "escalated", "resolved", "closed"],
  waiting_on_customer: ["open", "in_progress", "waiting_on_admin", "escalated", "resolved", "closed"],
  waiting_on_admin: ["open", "in_progress", "waiting_on_customer", "escalated", "resolved", "closed"],
  escalated: ["in_progress", "waiting_on_customer", "waiting_on_admin", "resolved", "closed"],
  resolved: ["open", "closed"],
  closed: ["open"],
};
/** Customers may close their own ticket while it is not closed, and reopen it once resolved or closed. */
export function customerMayMove(from: TicketStatus, to: TicketStatus): boolean {
  if (to === "closed") return from !== "closed";
  if (to === "open") return from === "resolved" || from === "closed";
  return false;
}
export const activeTicketStatuses: readonly TicketStatus[] = [
  "open",
  "in_progress",
  "waiting_on_customer",
  "waiting_on_admin",
  "escalated",
];
