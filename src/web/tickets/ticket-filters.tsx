import { useId } from "react";
import { type TicketStatus, ticketStatuses } from "../../protocol/enums";
import { activeTicketStatuses } from "../../protocol/ticket";
import { Field, Input, Select } from "../ui";
import { categoryOptions, priorityOptions, statusOptions } from "./ticket-labels";
import { useDebouncedSearch } from "./use-list-params";

export const staffTabs = [
  { id: "active", label: "Active" },
  { id: "resolved", label: "Resolved" },
  { id: "closed", label: "Closed" },
  { id: "all", label: "All" },
] as const;
export type StaffTab = (typeof staffTabs)[number]["id"];

export const filterKeys = ["tab", "q", "category", "priority", "status", "assignee"] as const;
export type Filters = Record<(typeof filterKeys)[number], string>;

/** The statuses a tab spans; the status filter offers only those. */
export function tabStatuses(tab: StaffTab): readonly TicketStatus[] {
  if (tab === "resolved") return ["resolved"];
  if (tab === "closed") return ["closed"];
  if (tab === "active") return activeTicketStatuses;
  return ticketStatuses;
}

/** The API's query for what the toolbar shows. */
export function listQuery(tab: StaffTab, f: Filters) {
  const statuses = tabStatuses(tab);
  const status = f.status && statuses.includes(f.status as TicketStatus) ? f.status : undefined;
  return {
    state: tab === "active" && !status ? "active" : undefined,
    status: status ?? (tab === "resolved" || tab === "closed" ? tab : undefined),
    category: f.category || undefined,
    priority: f.priority || undefined,
    assigneeId: f.assignee === "me" || f.assignee === "none" ? f.assignee : undefined,
    q: f.q || undefined,
  };
}

const assigneeOptions = [
  { value: "me", label: "Me" },
  { value: "none", label: "Unassigned" },
];

/** Search (number, subject, customer email) and the category, priority, status and assignee filters. */
export function TicketFilters({
  tab,
  filters,
  update,
}: {
  tab: StaffTab;
  filters: Filters;
  update: (next: Partial<Filters>) => void;
}) {
  const searchId = useId();
  const [typed, setTyped] = useDebouncedSearch(filters.q, (q) => update({ q }));
  const statuses = tabStatuses(tab);
  return (
    <div className="tk-toolbar" data-testid="ticket-filters">
      <div className="field">
        <label className="field-label" htmlFor={searchId}>
          Search
        </label>
        <Input
          id={searchId}
          type="search"
          maxLength={200}
          placeholder="TKT-000042, subject or customer email"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="tickets-search"
        />
      </div>
      <Field label="Category">
        {(p) => (
          <Select
            {...p}
            options={categoryOptions}
            placeholder="Any"
            value={filters.category}
            onChange={(e) => update({ category: e.target.value })}
            data-testid="filter-category"
          />
        )}
      </Field>
      <Field label="Priority">
        {(p) => (
          <Select
            {...p}
            options={priorityOptions}
            placeholder="Any"
            value={filters.priority}
            onChange={(e) => update({ priority: e.target.value })}
            data-testid="filter-priority"
          />
        )}
      </Field>
      {statuses.length > 1 && (
        <Field label="Status">
          {(p) => (
            <Select
              {...p}
              options={statusOptions(statuses)}
              placeholder="Any"
              value={statuses.includes(filters.status as TicketStatus) ? filters.status : ""}
              onChange={(e) => update({ status: e.target.value })}
              data-testid="filter-status"
            />
          )}
        </Field>
      )}
      <Field label="Assignee">
        {(p) => (
          <Select
            {...p}
            options={assigneeOptions}
            placeholder="Anyone"
            value={filters.assignee}
            onChange={(e) => update({ assignee: e.target.value })}
            data-testid="filter-assignee"
          />
        )}
      </Field>
    </div>
  );
}
