import { Link, useParams, useSearchParams } from "react-router-dom";
import { formatDateTime } from "../lib/labels";
import { StaffShell } from "../shell/staff-shell";
import { Card } from "../ui";
import { SlaDue } from "./ticket-badges";
import { TicketControls } from "./ticket-controls";
import { type Ticket, useTicket, useTicketSync } from "./ticket-data";
import { TicketHeading, TicketPending } from "./ticket-heading";
import { TicketThread } from "./ticket-thread";
import { TicketTimeline } from "./ticket-timeline";

const sources: Record<Ticket["source"], string> = {
  form: "Ticket form",
  chat: "Converted from a chat",
  auto: "Opened from a chat automatically",
};

function TicketSide({ t }: { t: Ticket }) {
  return (
    <aside className="stack" data-testid="ticket-side">
      <Card title="Customer">
        {t.customer ? (
          <dl className="details">
            <dt>Name</dt>
            <dd data-testid="ticket-customer-name">{t.customer.name}</dd>
            <dt>Email</dt>
            <dd data-testid="ticket-customer-email">
              {t.customer.email ? <a href={`mailto:${t.customer.email}`}>{t.customer.email}</a> : "—"}
            </dd>
          </dl>
        ) : (
          <p className="muted">No customer on this ticket.</p>
        )}
      </Card>
      <Card title="Details" data-testid="ticket-details">
        <dl className="details">
          <dt>Reference</dt>
          <dd>{t.reference}</dd>
          <dt>Source</dt>
          <dd>{sources[t.source]}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(t.createdAt)}</dd>
          <dt>First reply</dt>
          <dd>
            {t.firstResponseAt
              ? formatDateTime(t.firstResponseAt)
              : `due ${formatDateTime(t.firstResponseDueAt)}`}
          </dd>
          <dt>Resolution due</dt>
          <dd>
            <SlaDue ticket={t} target="resolution" testId="ticket-sla" />
          </dd>
          {t.rating !== null && (
            <>
              <dt>Rating</dt>
              <dd data-testid="ticket-rating-value">
                {"★".repeat(t.rating)}
                {t.feedback ? ` “${t.feedback}”` : ""}
              </dd>
            </>
          )}
        </dl>
      </Card>
      <Card title="Activity">
        <TicketTimeline ticketId={t.id} staff />
      </Card>
    </aside>
  );
}

/** A ticket as staff work it: controls, the thread with internal notes, the customer and the full trail; live. */
export function ConsoleTicketPage() {
  useTicketSync();
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const query = useTicket(id);
  const t = query.data;
  const back = (
    <Link to={`/console/tickets${params.size ? `?${params}` : ""}`} data-testid="ticket-back">
      ← Tickets
    </Link>
  );
  if (!t) {
    return (
      <StaffShell alerts>
        {back}
        <TicketPending query={query} notFound="Ticket not found." />
      </StaffShell>
    );
  }
  return (
    <StaffShell alerts>
      {back}
      <TicketHeading t={t} />
      <div className="chat-layout">
        <div className="stack">
          <Card>
            <TicketControls t={t} />
          </Card>
          <TicketThread
            ticket={t}
            staff
            readOnlyReason={t.archivedAt ? "This ticket is archived and read-only." : undefined}
          />
        </div>
        <TicketSide t={t} />
      </div>
    </StaffShell>
  );
}
