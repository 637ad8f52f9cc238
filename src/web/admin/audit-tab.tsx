import { type FormEvent, useState } from "react";
import { errorMessage } from "../lib/api";
import { formatDateTime } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import type { AuditEntry, StaffMember } from "../lib/types";
import { Alert, Button, type Column, Field, Input, Select, Table } from "../ui";
import { AuditVerify } from "./audit-verify";

interface Filters {
  action: string;
  actorId: string;
  from: string;
  to: string;
}
const noFilters: Filters = { action: "", actorId: "", from: "", to: "" };

/** datetime-local gives local wall time; the API wants ISO-8601 UTC. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function json(value: unknown): string {
  return value === null || value === undefined ? "—" : JSON.stringify(value, null, 2);
}

const columns: Column<AuditEntry>[] = [
  { header: "#", cell: (e) => e.seq, nowrap: true },
  { header: "When", cell: (e) => formatDateTime(e.createdAt), nowrap: true },
  { header: "Who", cell: (e) => e.actor?.name ?? e.actor?.type ?? "system" },
  { header: "Action", cell: (e) => <code>{e.action}</code> },
  { header: "Subject", cell: (e) => (e.subjectType ? `${e.subjectType} ${e.subjectId ?? ""}` : "—") },
  { header: "IP", cell: (e) => e.ip ?? "—", nowrap: true },
  {
    header: "Details",
    cell: (e) => (
      <details data-testid={`audit-details-${e.seq}`}>
        <summary>Show</summary>
        <dl className="details audit-details">
          <dt>Before</dt>
          <dd>
            <pre>{json(e.oldValue)}</pre>
          </dd>
          <dt>After</dt>
          <dd>
            <pre>{json(e.newValue)}</pre>
          </dd>
          <dt>Metadata</dt>
          <dd>
            <pre>{json(e.metadata)}</pre>
          </dd>
          <dt>User agent</dt>
          <dd>{e.userAgent ?? "—"}</dd>
          <dt>Hash</dt>
          <dd>
            <code>{e.hash}</code>
          </dd>
        </dl>
      </details>
    ),
  },
];

export function AuditTab() {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const staff = usePagedList<StaffMember>("/staff", { limit: 200 });
  const log = usePagedList<AuditEntry>("/audit-log", {
    action: applied.action.trim(),
    actorId: applied.actorId,
    from: toIso(applied.from),
    to: toIso(applied.to),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };
  const set = (key: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <div className="stack">
      <h2>Audit log</h2>
      <AuditVerify />
      <form className="audit-filters" onSubmit={onSubmit} data-testid="audit-filters">
        <Field label="Action">
          {(p) => (
            <Input
              {...p}
              placeholder="e.g. staff.create"
              value={draft.action}
              onChange={set("action")}
              data-testid="audit-filter-action"
            />
          )}
        </Field>
        <Field label="Who">
          {(p) => (
            <Select
              {...p}
              options={staff.items.map((s) => ({ value: s.id, label: s.name }))}
              placeholder="Anyone"
              value={draft.actorId}
              onChange={set("actorId")}
              data-testid="audit-filter-actor"
            />
          )}
        </Field>
        <Field label="From">
          {(p) => (
            <Input
              {...p}
              type="datetime-local"
              value={draft.from}
              onChange={set("from")}
              data-testid="audit-filter-from"
            />
          )}
        </Field>
        <Field label="To">
          {(p) => (
            <Input
              {...p}
              type="datetime-local"
              value={draft.to}
              onChange={set("to")}
              data-testid="audit-filter-to"
            />
          )}
        </Field>
        <div className="row audit-filter-actions">
          <Button type="submit" variant="primary" data-testid="audit-filter-apply">
            Filter
          </Button>
          <Button
            onClick={() => {
              setDraft(noFilters);
              setApplied(noFilters);
            }}
            data-testid="audit-filter-clear"
          >
            Clear
          </Button>
        </div>
      </form>
      {log.isError && <Alert tone="danger">{errorMessage(log.error)}</Alert>}
      <Table
        columns={columns}
        rows={log.items}
        rowKey={(e) => e.id}
        rowTestId={(e) => `audit-row-${e.seq}`}
        loading={log.isPending}
        empty="No entries match."
        testId="audit-table"
        caption="Audit log entries"
      />
      {log.hasNextPage && (
        <Button onClick={() => log.fetchNextPage()} busy={log.isFetchingNextPage} data-testid="audit-more">
          Load more
        </Button>
      )}
    </div>
  );
}
