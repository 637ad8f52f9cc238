import { errorMessage } from "../lib/api";
import { formatDateTime } from "../lib/labels";
import { Alert } from "../ui";
import { useTicketActivity } from "./ticket-data";
import { activityIcons } from "./ticket-labels";

/**
 * The ticket's trail, oldest first. The server decides what each viewer gets: customers the public entries, staff
 * everything with the address and browser each change came from.
 */
export function TicketTimeline({ ticketId, staff }: { ticketId: string; staff?: boolean }) {
  const activity = useTicketActivity(ticketId);
  if (activity.isError) return <Alert tone="danger">{errorMessage(activity.error)}</Alert>;
  if (!activity.data) return <p className="muted">Loading…</p>;
  return (
    <ol className="tk-timeline" data-testid="ticket-timeline">
      {activity.data.map((a) => (
        <li
          key={a.id}
          className={a.type === "internal_note_added" ? "tk-timeline-note" : undefined}
          data-testid={`timeline-${a.type}`}
          data-type={a.type}
        >
          <span className="tk-timeline-mark" aria-hidden="true">
            {activityIcons[a.type]}
          </span>
          <span>
            <span data-testid="timeline-description">{a.description}</span>
            <span className="tk-timeline-meta">
              <br />
              {formatDateTime(a.createdAt)}
              {staff && a.ip && <span data-testid="timeline-ip"> · {a.ip}</span>}
              {staff && a.userAgent && <span title={a.userAgent}> · {browserOf(a.userAgent)}</span>}
            </span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Enough of a user agent to tell two people apart at a glance; the whole string is in the tooltip. */
function browserOf(ua: string): string {
  const m = /(Edg|Firefox|Chrome|Chromium|Safari)\/[\d.]+/.exec(ua);
  return m ? m[0].replace(/\.[\d.]+$/, "") : ua.slice(0, 40);
}
