import { useId } from "react";
import { type TicketStatus, ticketStatuses } from "../../protocol/enums";
import { activeTicketStatuses } from "../../protocol/ticket";
import { Input } from "../ui";
import { SelectField } from "./select-field";
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
      <SelectField
        label="Category"
        options={categoryOptions}
        placeholder="Any"
        value={filters.category}
        onChange={(category) => update({ category })}
        testId="filter-category"
      />
      <SelectField
        label="Priority"
        options={priorityOptions}
        placeholder="Any"
        value={filters.priority}
        onChange={(priority) => update({ priority })}
        testId="filter-priority"
      />
      {statuses.length > 1 && (
        <SelectField
          label="Status"
          options={statusOptions(statuses)}
          placeholder="Any"
          value={statuses.includes(filters.status as TicketStatus) ? filters.status : ""}
          onChange={(status) => update({ status })}
          testId="filter-status"
        />
      )}
      <SelectField
        label="Assignee"
        options={assigneeOptions}
        placeholder="Anyone"
        value={filters.assignee}
        onChange={(assignee) => update({ assignee })}
        testId="filter-assignee"
      />
    </div>
  );
}
