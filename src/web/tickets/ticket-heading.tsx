import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage, isApiError } from "../lib/api";
import { Alert } from "../ui";
import { PriorityBadge, TicketStatusBadge } from "./ticket-badges";
import type { Ticket } from "./ticket-data";

/** What a ticket page shows until its ticket is there: loading, not found (a bad id too), or the error. */
export function TicketPending({ query, notFound }: { query: UseQueryResult<Ticket>; notFound: string }) {
  if (isApiError(query.error, 404) || isApiError(query.error, 400)) {
    return (
      <Alert tone="danger" testId="ticket-not-found">
        {notFound}
      </Alert>
    );
  }
  if (query.isError) return <Alert tone="danger">{errorMessage(query.error)}</Alert>;
  return <p className="muted">Loading…</p>;
}

/** The ticket's reference and subject with its status and priority; `children` go at the far end. */
export function TicketHeading({
  t,
  customer,
  children,
}: {
  t: Ticket;
  /** Status words as the customer reads them. */
  customer?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="page-title">
      <h1 data-testid="ticket-title">
        <span className="tk-ref" data-testid="ticket-reference">
          {t.reference}
        </span>{" "}
        {t.subject}
      </h1>
      <TicketStatusBadge status={t.status} customer={customer} testId="ticket-status" />
      <PriorityBadge priority={t.priority} testId="ticket-priority" />
      {children}
    </div>
  );
}
