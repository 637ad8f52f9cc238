/** Words shown for the API's enum values, kept together so every screen says the same thing. */
import type { Availability } from "../../protocol/enums";
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
