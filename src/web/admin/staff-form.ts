/** The staff dialog's form state and how it becomes a request body. */
import type { Availability } from "../../protocol/enums";
import type { StaffRole } from "../../protocol/roles";
import type { StaffMember } from "../lib/types";
import { changedFields, parseCount, wholeNumberMessage } from "./form-values";

export interface StaffForm {
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  maxChats: string;
  maxCalls: string;
  teamId: string;
  availability: Availability;
}

export function initialForm(member: StaffMember | null): StaffForm {
  return {
    email: member?.email ?? "",
    name: member?.name ?? "",
    role: member?.role ?? "agent",
    password: "",
    maxChats: member ? String(member.maxChats) : "",
    maxCalls: member ? String(member.maxCalls) : "",
    teamId: member?.teamId ?? "",
    availability: member?.availability ?? "offline",
  };
}

/** What PATCH /staff/:id may change. */
interface Editable {
  name: string;
  role: StaffRole;
  maxChats: number | undefined;
  maxCalls: number | undefined;
  teamId: string | null;
  availability: Availability;
}

/** The request body: everything for a new member, only what changed for an existing one. */
export function toBody(form: StaffForm, member: StaffMember | null): Record<string, unknown> {
  const maxChats = parseCount(form.maxChats);
  const maxCalls = parseCount(form.maxCalls);
  const errors: Record<string, string> = {};
  if (maxChats === "invalid") errors.maxChats = wholeNumberMessage;
  if (maxCalls === "invalid") errors.maxCalls = wholeNumberMessage;
  if (maxChats === "invalid" || maxCalls === "invalid") throw new LocalErrors(errors);
  const name = form.name.trim();
  if (!member) {
    const teamId = form.teamId || undefined;
    return {
      email: form.email.trim(),
      name,
      role: form.role,
      // Left out when empty: the server then generates a temporary password and returns it once.
      password: form.password || undefined,
      maxChats,
      maxCalls,
      teamId,
    };
  }
  const before: Editable = {
    name: member.name,
    role: member.role,
    maxChats: member.maxChats,
    maxCalls: member.maxCalls,
    teamId: member.teamId,
    availability: member.availability,
  };
  const teamId = form.teamId || null;
  const { availability, ...changed } = changedFields(before, {
    name,
    role: form.role,
    maxChats,
    maxCalls,
    teamId,
    availability: form.availability,
  });
  // The API takes availability as {status, until?}, the same body as PATCH /me/availability.
  return availability ? { ...changed, availability: { status: availability } } : changed;
}

/** Validation found before asking the server, shown the same way as the server's field errors. */
export class LocalErrors extends Error {
  constructor(readonly fields: Record<string, string>) {
    super("Please correct the highlighted fields.");
  }
}
