import { Link } from "react-router-dom";
import { errorMessage } from "../lib/api";
import { formatTime } from "../lib/labels";
import { LoadMore } from "../lib/load-more";
import { usePagedList } from "../lib/paged";
import { StaffShell } from "../shell/staff-shell";
import { Alert, Card, type Column, Table, Tabs, tabPanelProps } from "../ui";
import { PriorityBadge, SlaDue, TicketStatusBadge } from "./ticket-badges";
import { type Ticket, ticketsPath, useTicketSync } from "./ticket-data";
import { filterKeys, listQuery, type StaffTab, staffTabs, TicketFilters } from "./ticket-filters";
import { ticketCategoryLabels } from "./ticket-labels";
import { useListParams } from "./use-list-params";

function columns(search: string): Column<Ticket>[] {
  const link = (t: Ticket) => `/console/tickets/${t.id}${search ? `?${search}` : ""}`;
  return [
    {
      header: "Ticket",
      nowrap: true,
      cell: (t) => (
        <Link to={link(t)} className="tk-ref" data-testid={`ticket-link-${t.reference}`}>
          {t.reference}
        </Link>
      ),
    },
    {
      header: "Subject",
      cell: (t) => (
        <span className="tk-subject">
          <Link to={link(t)}>{t.subject}</Link>
          <span className="conv-sub" data-testid={`ticket-customer-${t.reference}`}>
            {t.customer ? `${t.customer.name}${t.customer.email ? ` · ${t.customer.email}` : ""}` : "—"}
          </span>
        </span>
      ),
    },
    { header: "Category", cell: (t) => ticketCategoryLabels[t.category] },
    {
      header: "Priority",
      cell: (t) => <PriorityBadge priority={t.priority} testId={`ticket-priority-${t.reference}`} />,
    },
    {
      header: "Status",
      cell: (t) => <TicketStatusBadge status={t.status} testId={`ticket-status-${t.reference}`} />,
    },
    {
      header: "Assignee",
      cell: (t) => (
        <span data-testid={`ticket-assignee-${t.reference}`}>
          {t.assignee?.name ?? <span className="muted">Unassigned</span>}
        </span>
      ),
    },
    { header: "Due", nowrap: true, cell: (t) => <SlaDue ticket={t} testId={`ticket-sla-${t.reference}`} /> },
    { header: "Activity", nowrap: true, cell: (t) => formatTime(t.lastActivityAt) },
  ];
}

/** Every ticket of the tenant, by tab, filters and search; kept current by `ticket:updated`. */
export function ConsoleTicketsPage() {
  useTicketSync();
  const { values, update, search } = useListParams(filterKeys);
  const tab: StaffTab = staffTabs.find((t) => t.id === values.tab)?.id ?? "active";
  const list = usePagedList<Ticket>(ticketsPath, listQuery(tab, values));
  const filtered = Boolean(
    values.q || values.category || values.priority || values.status || values.assignee,
  );
  return (
    <StaffShell alerts>
      <div className="page-title">
        <h1>Tickets</h1>
      </div>
      <Card data-testid="console-tickets">
        <Tabs
          items={staffTabs}
          value={tab}
          onChange={(id) => update({ tab: id === "active" ? "" : id })}
          label="Ticket states"
          prefix="tickets-tab"
        />
        <div {...tabPanelProps("tickets-tab", tab)} className="stack">
          <TicketFilters tab={tab} filters={values} update={update} />
          {list.isError && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
          <Table
            columns={columns(search)}
            rows={list.items}
            rowKey={(t) => t.id}
            rowTestId={(t) => `ticket-row-${t.reference}`}
            loading={list.isPending}
            empty={filtered ? "No ticket matches these filters." : "No tickets here."}
            testId="tickets-table"
            caption="Tickets"
          />
          <LoadMore list={list} testId="tickets-more" />
        </div>
      </Card>
    </StaffShell>
  );
}
