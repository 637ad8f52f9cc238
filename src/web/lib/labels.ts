/** Words shown for the API's enum values, kept together so every screen says the same thing. */
import type { Availability, ConversationStatus, MaskKind, Priority } from "../../protocol/enums";
import { availabilities } from "../../protocol/enums";
import type { Role } from "../../protocol/roles";
import type { Tone } from "../ui/badge";

export const roleLabels: Record<Role, string> = {
  customer: "Customer",
  agent: "Agent",
  team_lead: "Team lead",
  supervisor: "Supervisor",
  admin: "Admin",
  super_admin: "Super admin",
};

export const availabilityLabels: Record<Availability, string> = {
  online: "Online",
  away: "Away",
  on_break: "On break",
  offline: "Offline",
};

export const availabilityTones: Record<Availability, Tone> = {
  online: "success",
  away: "warning",
  on_break: "primary",
  offline: "neutral",
};

export const availabilityOptions = availabilities.map((a) => ({ value: a, label: availabilityLabels[a] }));

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString();
}

export const conversationStatusLabels: Record<ConversationStatus, string> = {
  queued: "Waiting",
  open: "Open",
  pending: "Waiting on you",
  resolved: "Resolved",
  closed: "Closed",
  escalated: "Escalated",
  archived: "Archived",
};

/** Staff read "pending" as their own state (waiting on the customer), customers as what is asked of them. */
export const staffStatusLabels: Record<ConversationStatus, string> = {
  ...conversationStatusLabels,
  queued: "Queued",
  pending: "Pending",
};

export const conversationStatusTones: Record<ConversationStatus, Tone> = {
  queued: "warning",
  open: "primary",
  pending: "warning",
  resolved: "success",
  closed: "neutral",
  escalated: "danger",
  archived: "neutral",
};

export const priorityLabels: Record<Priority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

export const priorityTones: Record<Priority, Tone> = {
  low: "neutral",
  normal: "neutral",
  high: "warning",
  urgent: "danger",
};

/** What was hidden, in the words of the notice shown under a masked message. */
export const maskLabels: Record<MaskKind, string> = {
  card: "card number",
  cvv: "security code",
  pin: "PIN",
  account: "account number",
  iban: "IBAN",
};

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
