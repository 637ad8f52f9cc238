/**
 * The new-ticket form's values and their checks, the same limits as the server's (tickets.schema.ts), so the
 * customer learns what is missing before sending; whatever the server still refuses is shown per field too.
 */
import type { TicketCategory, TicketPriority } from "../../protocol/enums";

export interface TicketForm {
  subject: string;
  category: TicketCategory | "";
  priority: TicketPriority;
  description: string;
}

export const emptyTicketForm: TicketForm = { subject: "", category: "", priority: "medium", description: "" };

export const subjectMin = 3;
export const subjectMax = 200;
export const descriptionMin = 10;
export const descriptionMax = 10_000;

export type TicketFormErrors = Partial<Record<keyof TicketForm, string>>;

/** Messages worded like the server's ("must be at least …"), shown after the field's label. */
export function validateTicketForm(form: TicketForm): TicketFormErrors {
  const errors: TicketFormErrors = {};
  const subject = form.subject.trim();
  const description = form.description.trim();
  if (subject.length < subjectMin) errors.subject = `must be at least ${subjectMin} characters`;
  else if (subject.length > subjectMax) errors.subject = `must be at most ${subjectMax} characters`;
  if (!form.category) errors.category = "is required";
  if (description.length < descriptionMin)
    errors.description = `must be at least ${descriptionMin} characters`;
  else if (description.length > descriptionMax)
    errors.description = `must be at most ${descriptionMax} characters`;
  return errors;
}

/** The request body, trimmed as the server would trim it. */
export function ticketBody(form: TicketForm, extra: Record<string, string> = {}) {
  return {
    subject: form.subject.trim(),
    category: form.category,
    priority: form.priority,
    description: form.description.trim(),
    ...extra,
  };
}
