/** Words for the ticket enums, and where each tab of the lists draws its line. */
import type { TicketCategory, TicketPriority, TicketStatus } from "../../protocol/enums";
import { ticketCategories, ticketPriorities, ticketStatuses } from "../../protocol/enums";
import type { TicketActivityType } from "../../protocol/ticket";

export const ticketCategoryLabels: Record<TicketCategory, string> = {
  technical: "Technical",
  billing: "Billing",
  account: "Account",
  feature_request: "Feature request",
  bug_report: "Bug report",
  general: "General",
  security: "Security",
  compliance: "Compliance",
};

export const ticketPriorityLabels: Record<TicketPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};

export const ticketStatusLabels: Record<TicketStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_on_customer: "Waiting on customer",
  waiting_on_admin: "Waiting on support",
  resolved: "Resolved",
  closed: "Closed",
  escalated: "Escalated",
};

/** The customer reads "waiting on customer" as something asked of them. */
export const customerTicketStatusLabels: Record<TicketStatus, string> = {
  ...ticketStatusLabels,
  waiting_on_customer: "Waiting on you",
  waiting_on_admin: "Waiting on us",
};

export const categoryOptions = ticketCategories.map((c) => ({ value: c, label: ticketCategoryLabels[c] }));
export const priorityOptions = ticketPriorities.map((p) => ({ value: p, label: ticketPriorityLabels[p] }));
export const statusOptions = (statuses: readonly TicketStatus[] = ticketStatuses) =>
  statuses.map((s) => ({ value: s, label: ticketStatusLabels[s] }));

/** A mark per kind of trail entry, so a long timeline can be scanned by eye. */
export const activityIcons: Record<TicketActivityType, string> = {
  created: "✚",
  status_changed: "↻",
  priority_changed: "▲",
  category_changed: "▤",
  assigned: "➜",
  unassigned: "✕",
  message_added: "✉",
  internal_note_added: "✎",
  resolved: "✓",
  closed: "■",
  reopened: "↺",
  escalated: "!",
  rated: "★",
  sla_breached: "⏱",
  archived: "▣",
};
