import { Link, useParams } from "react-router-dom";
import { customerMayMove } from "../../protocol/ticket";
import { StarRating } from "../chat/rating-form";
import { api } from "../lib/api";
import { formatDateTime } from "../lib/labels";
import { PortalShell } from "../portal/portal-shell";
import { Button, Card } from "../ui";
import {
  type Ticket,
  ticketsPath,
  useTicket,
  useTicketRefresh,
  useTicketSync,
  useTicketUpdate,
} from "./ticket-data";
import { TicketHeading, TicketPending } from "./ticket-heading";
import { ticketCategoryLabels } from "./ticket-labels";
import { TicketThread } from "./ticket-thread";
import { TicketTimeline } from "./ticket-timeline";

const back = (
  <Link to="/portal/tickets" data-testid="ticket-back">
    ← My tickets
  </Link>
);

/** Close and reopen: the only moves a customer has (customerMayMove), offered only where they apply. */
function CustomerActions({ t }: { t: Ticket }) {
  const update = useTicketUpdate(t.id);
  if (t.archivedAt) return null;
  return (
    <>
      {customerMayMove(t.status, "open") && (
        <Button
          size="sm"
          busy={update.isPending}
          onClick={() => update.mutate({ status: "open" })}
          data-testid="ticket-reopen"
        >
          Reopen ticket
        </Button>
      )}
      {customerMayMove(t.status, "closed") && (
        <Button
          size="sm"
          busy={update.isPending}
          onClick={() => update.mutate({ status: "closed" })}
          data-testid="ticket-close"
        >
          Close ticket
        </Button>
      )}
    </>
  );
}

function TicketRating({ t }: { t: Ticket }) {
  const refresh = useTicketRefresh();
  return (
    <StarRating
      rating={t.rating}
      rate={async (body) => refresh(await api.post<Ticket>(`${ticketsPath}/${t.id}/rating`, body))}
    />
  );
}

/** One of the customer's tickets: its thread, where it stands, and what has happened to it; live. */
export function PortalTicketPage() {
  useTicketSync();
  const { id = "" } = useParams();
  const query = useTicket(id);
  const t = query.data;
  if (!t) {
    return (
      <PortalShell>
        {back}
        <TicketPending query={query} notFound="Ticket not found: it does not exist or is not yours." />
      </PortalShell>
    );
  }
  const ended = t.status === "resolved" || t.status === "closed";
  const readOnly = t.archivedAt ? (
    "This ticket is archived and read-only."
  ) : t.status === "closed" ? (
    <span data-testid="ticket-closed-note">
      This ticket is closed, so replies are off. Reopen it if the problem is back.
    </span>
  ) : undefined;
  return (
    <PortalShell>
      {back}
      <TicketHeading t={t} customer>
        <span className="spacer" />
        <CustomerActions t={t} />
      </TicketHeading>
      <div className="chat-layout">
        <TicketThread ticket={t} readOnlyReason={readOnly} />
        <aside className="stack">
          {ended && (
            <Card title="Rate this ticket" data-testid="ticket-rating">
              <TicketRating t={t} />
            </Card>
          )}
          <Card title="Details" data-testid="ticket-details">
            <dl className="details">
              <dt>Reference</dt>
              <dd>{t.reference}</dd>
              <dt>Category</dt>
              <dd data-testid="ticket-category">{ticketCategoryLabels[t.category]}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(t.createdAt)}</dd>
              <dt>Handled by</dt>
              <dd data-testid="ticket-assignee">{t.assignee?.name ?? "Not assigned yet"}</dd>
              {t.resolvedAt && (
                <>
                  <dt>Resolved</dt>
                  <dd>{formatDateTime(t.resolvedAt)}</dd>
                </>
              )}
            </dl>
          </Card>
          <Card title="Activity">
            <TicketTimeline ticketId={t.id} />
          </Card>
        </aside>
      </div>
    </PortalShell>
  );
}
