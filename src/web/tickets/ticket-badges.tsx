// The ticket screens' styles load with their badges, which every ticket screen shows.
import "./tickets.css";
import type { TicketPriority, TicketStatus } from "../../protocol/enums";
import type { Ticket } from "../../protocol/ticket";
import { formatDateTime } from "../lib/labels";
import { customerTicketStatusLabels, ticketPriorityLabels, ticketStatusLabels } from "./ticket-labels";

/** Seven statuses, seven colours (tickets.css), each readable on the light and the dark background. */
export function TicketStatusBadge({
  status,
  customer,
  testId,
}: {
  status: TicketStatus;
  customer?: boolean;
  testId?: string;
}) {
  return (
    <span className={`badge tk-status tk-status-${status}`} data-status={status} data-testid={testId}>
      {(customer ? customerTicketStatusLabels : ticketStatusLabels)[status]}
    </span>
  );
}

/** Low blue, medium yellow, high orange, urgent red. */
export function PriorityBadge({ priority, testId }: { priority: TicketPriority; testId?: string }) {
  return (
    <span
      className={`badge tk-priority tk-priority-${priority}`}
      data-priority={priority}
      data-testid={testId}
    >
      {ticketPriorityLabels[priority]}
    </span>
  );
}

function relative(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

/**
 * What the ticket owes next and by when: the first reply while none has been sent, else the resolution (or always
 * the resolution, where the first reply is shown beside it). Breached tickets are flagged, a paused clock (waiting
 * on the customer) says so, and finished tickets owe nothing.
 */
export function SlaDue({
  ticket,
  target = "next",
  testId,
}: {
  ticket: Ticket;
  target?: "next" | "resolution";
  testId?: string;
}) {
  const reply = target === "next" && !ticket.firstResponseAt && ticket.firstResponseDueAt !== null;
  const dueAt = reply ? ticket.firstResponseDueAt : ticket.slaDueAt;
  const done = ticket.status === "resolved" || ticket.status === "closed";
  if (done || !dueAt) {
    return (
      <span className="muted" data-testid={testId} data-sla="none">
        —
      </span>
    );
  }
  const left = new Date(dueAt).getTime() - Date.now();
  const title = `${reply ? "First reply" : "Resolution"} due ${formatDateTime(dueAt)}`;
  if (ticket.slaBreachedAt !== null || (left < 0 && !ticket.slaPaused)) {
    return (
      <span className="badge tk-sla-breached" title={title} data-testid={testId} data-sla="breached">
        Breached{left < 0 ? ` · ${relative(left)} late` : ""}
      </span>
    );
  }
  return (
    <span
      className="tk-sla"
      title={title}
      data-testid={testId}
      data-sla={ticket.slaPaused ? "paused" : "due"}
    >
      {ticket.slaPaused ? "Paused" : `${reply ? "reply" : "resolve"} in ${relative(left)}`}
    </span>
  );
}
