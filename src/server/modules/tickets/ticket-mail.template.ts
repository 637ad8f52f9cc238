import type { TicketStatus } from "../../../protocol/enums";
import { ticketReference } from "../../../protocol/ticket";
import { clip, indent, oneLine } from "../notifications/offline-mail.template";

/*
 * The texts of ticket emails. Plain text only, like every email we send: nothing a person wrote (subjects,
 * descriptions, replies, all masked before storage) can turn into markup or a forged link in a mail client, and
 * subjects pass through oneLine so a line break cannot start a new header.
 */

export interface MailText {
  subject: string;
  body: string;
}

export interface TicketFacts {
  id: string;
  number: number;
  subject: string;
  description: string;
  priority: string;
  category: string;
}

const signature = [
  "",
  "-- ",
  "Please answer in the portal through the link above; replies to this email are not read.",
];
const staffSignature = ["", "-- ", "You get this email because you work this tenant's tickets."];

export const portalTicketLink = (publicUrl: string, id: string) => `${publicUrl}/portal/tickets/${id}`;
export const consoleTicketLink = (publicUrl: string, id: string) => `${publicUrl}/console/tickets/${id}`;
export const portalChatLink = (publicUrl: string, id: string) => `${publicUrl}/portal/chats/${id}`;

const words = (s: string) => s.replaceAll("_", " ");
const title = (t: TicketFacts) => `${ticketReference(t.number)} "${oneLine(t.subject)}"`;
const subjectLine = (t: TicketFacts, what: string) =>
  oneLine(`[${ticketReference(t.number)}] ${what}: ${t.subject}`).slice(0, 200);

/** To the customer when their ticket is opened, by them or for them. */
export function confirmationMail(name: string, t: TicketFacts, publicUrl: string): MailText {
  return {
    subject: subjectLine(t, "We received your request"),
    body: [
      `Hello ${oneLine(name)},`,
      "",
      `We received your request and opened ticket ${title(t)}. Quote ${ticketReference(t.number)} whenever you contact us about it.`,
      "",
      indent(clip(t.description)),
      "",
      `Follow it and reply: ${portalTicketLink(publicUrl, t.id)}`,
      ...signature,
    ].join("\n"),
  };
}

/** To staff: a ticket that is now theirs (assigned) or waits for someone to take it. */
export function newTicketMail(
  name: string,
  t: TicketFacts,
  customer: string,
  assigned: boolean,
  publicUrl: string,
): MailText {
  return {
    subject: subjectLine(t, assigned ? "New ticket assigned to you" : "New ticket"),
    body: [
      `Hello ${oneLine(name)},`,
      "",
      `${oneLine(customer)} opened ticket ${title(t)} (${words(t.category)}, ${t.priority} priority).`,
      assigned ? "It is assigned to you." : "Nobody has taken it yet.",
      "",
      indent(clip(t.description)),
      "",
      `Open it: ${consoleTicketLink(publicUrl, t.id)}`,
      ...staffSignature,
    ].join("\n"),
  };
}

/** To the customer: staff's public replies of one batch (`total`), the newest few quoted oldest first. */
export function replyMail(
  name: string,
  t: TicketFacts,
  quoted: Array<{ senderName: string; body: string }>,
  total: number,
  publicUrl: string,
): MailText {
  const count = total === 1 ? "A new reply" : `${total} new replies`;
  const from = [...new Set(quoted.map((r) => oneLine(r.senderName)))].join(" and ");
  return {
    subject: subjectLine(t, total === 1 ? "New reply" : `${total} new replies`),
    body: [
      `Hello ${oneLine(name)},`,
      "",
      `${count} from ${from} on your ticket ${title(t)}:`,
      "",
      ...quoted.flatMap((r) => [`${oneLine(r.senderName)}:`, indent(clip(r.body) || "(attachment)"), ""]),
      ...(total > quoted.length ? [`(The latest ${quoted.length} of ${total} are shown.)`, ""] : []),
      `Read and reply: ${portalTicketLink(publicUrl, t.id)}`,
      ...signature,
    ].join("\n"),
  };
}

const statusNews: Record<TicketStatus, { headline: string; line: string }> = {
  open: { headline: "open again", line: "It is open again and back with our team." },
  in_progress: { headline: "in progress", line: "A member of our team is working on it." },
  waiting_on_customer: {
    headline: "waiting on your reply",
    line: "We need something from you to go on: please reply in the portal.",
  },
  waiting_on_admin: {
    headline: "waiting on a colleague",
    line: "We have asked a colleague for help and will come back to you.",
  },
  escalated: { headline: "escalated", line: "It has been passed to a senior member of our team." },
  resolved: {
    headline: "resolved",
    line: "We believe it is resolved. If it is not, reply in the portal and it opens again.",
  },
  closed: { headline: "closed", line: "It is closed. You can reopen it from the portal." },
};

/** To the customer when their ticket's status changes. */
export function statusMail(name: string, t: TicketFacts, status: TicketStatus, publicUrl: string): MailText {
  const news = statusNews[status];
  return {
    subject: subjectLine(t, `Your request is ${news.headline}`),
    body: [
      `Hello ${oneLine(name)},`,
      "",
      `Your ticket ${title(t)} is now ${words(status)}. ${news.line}`,
      "",
      `See it: ${portalTicketLink(publicUrl, t.id)}`,
      ...signature,
    ].join("\n"),
  };
}

/** To the customer once a ticket or a support chat is resolved or closed: the rating form is behind the link. */
export function ratingMail(
  name: string,
  about: { kind: "ticket"; ticket: TicketFacts } | { kind: "chat"; number: number; subject: string | null },
  link: string,
): MailText {
  const what =
    about.kind === "ticket"
      ? `ticket ${title(about.ticket)}`
      : `chat #${about.number}${about.subject ? ` "${oneLine(about.subject)}"` : ""}`;
  return {
    subject:
      about.kind === "ticket"
        ? subjectLine(about.ticket, "How did we do?")
        : oneLine(`How did we do? Rate chat #${about.number}`),
    body: [
      `Hello ${oneLine(name)},`,
      "",
      `Your ${what} is done. How did we do? Rating it takes a moment: a score from 1 to 5 and a comment if you like.`,
      "",
      `Rate it: ${link}`,
      ...signature,
    ].join("\n"),
  };
}

export type EscalationCause =
  | { by: string }
  | { breach: { target: "first_response" | "resolution"; dueAt: Date } };

/** To the team lead or those above: a ticket escalated by a person or by a missed target. */
export function escalationMail(
  name: string,
  t: TicketFacts,
  cause: EscalationCause,
  publicUrl: string,
): MailText {
  const why =
    "by" in cause
      ? `${oneLine(cause.by)} escalated ticket ${title(t)}.`
      : `Ticket ${title(t)} missed its ${cause.breach.target === "first_response" ? "first-response" : "resolution"} target (due ${cause.breach.dueAt.toISOString()}) and is escalated.`;
  return {
    subject: subjectLine(
      t,
      "by" in cause
        ? "Ticket escalated"
        : `Missed ${cause.breach.target === "first_response" ? "first-response" : "resolution"} target`,
    ),
    body: [
      `Hello ${oneLine(name)},`,
      "",
      why,
      `Priority: ${t.priority}. Category: ${words(t.category)}.`,
      "",
      `Open it: ${consoleTicketLink(publicUrl, t.id)}`,
      ...staffSignature,
    ].join("\n"),
  };
}
