import { useId, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { errorMessage } from "../lib/api";
import { formatTime } from "../lib/labels";
import { LoadMore } from "../lib/load-more";
import { usePagedList } from "../lib/paged";
import { PortalShell } from "../portal/portal-shell";
import { Alert, Button, Card, Input, Tabs, tabPanelProps } from "../ui";
import { NewTicketDialog } from "./new-ticket-dialog";
import { PriorityBadge, TicketStatusBadge } from "./ticket-badges";
import { type Ticket, ticketsPath, useTicketSync } from "./ticket-data";
import { ticketCategoryLabels } from "./ticket-labels";
import { useDebouncedSearch, useListParams } from "./use-list-params";

const tabs = [
  { id: "active", label: "Active" },
  { id: "done", label: "Closed" },
] as const;

function TicketRow({ t }: { t: Ticket }) {
  return (
    <li>
      <Link
        to={`/portal/tickets/${t.id}`}
        className="conv-row tk-list-row"
        data-testid={`ticket-row-${t.reference}`}
      >
        <span className="tk-ref" data-testid="ticket-row-reference">
          {t.reference}
        </span>
        <span className="tk-subject">
          <strong>{t.subject}</strong>
          <span className="conv-sub">{ticketCategoryLabels[t.category]}</span>
        </span>
        <span className="tk-badges">
          <TicketStatusBadge status={t.status} customer testId={`ticket-row-${t.reference}-status`} />
          <PriorityBadge priority={t.priority} />
        </span>
        <span className="conv-time muted">{formatTime(t.lastActivityAt)}</span>
      </Link>
    </li>
  );
}

/** The customer's tickets: active and closed tabs, search by number or subject, and the new-ticket form. */
export function PortalTicketsPage() {
  useTicketSync();
  const navigate = useNavigate();
  const searchId = useId();
  const [creating, setCreating] = useState(false);
  const { values, update } = useListParams(["state", "q"] as const);
  const state = values.state === "done" ? "done" : "active";
  const [typed, setTyped] = useDebouncedSearch(values.q, (q) => update({ q }));
  const list = usePagedList<Ticket>(ticketsPath, { state, q: values.q });
  return (
    <PortalShell>
      <div className="page-title">
        <h1>My tickets</h1>
        <span className="spacer" />
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-ticket-open">
          New ticket
        </Button>
      </div>
      <Card data-testid="portal-tickets">
        <Tabs
          items={tabs}
          value={state}
          onChange={(id) => update({ state: id === "done" ? "done" : "" })}
          label="Ticket states"
          prefix="tickets-tab"
        />
        <div {...tabPanelProps("tickets-tab", state)} className="stack">
          <label htmlFor={searchId} className="visually-hidden">
            Search tickets
          </label>
          <Input
            id={searchId}
            type="search"
            maxLength={200}
            placeholder="Search by number (TKT-000042) or subject…"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            data-testid="tickets-search"
          />
          {list.isError && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
          {list.isPending && <p className="muted">Loading…</p>}
          {!list.isPending && list.items.length === 0 && (
            <p className="muted" data-testid="tickets-empty">
              {values.q
                ? "No ticket matches this search."
                : state === "active"
                  ? "No open tickets. Open one when you need our help with something that takes time."
                  : "No closed tickets yet."}
            </p>
          )}
          <ul className="conv-list" data-testid="tickets-list">
            {list.items.map((t) => (
              <TicketRow key={t.id} t={t} />
            ))}
          </ul>
          <LoadMore list={list} testId="tickets-more" />
        </div>
      </Card>
      <NewTicketDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(t) => {
          setCreating(false);
          navigate(`/portal/tickets/${t.id}`);
        }}
      />
    </PortalShell>
  );
}
