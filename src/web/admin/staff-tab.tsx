import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../lib/api";
import { roleLabels } from "../lib/labels";
import { hasPermission } from "../lib/me";
import { usePagedList } from "../lib/paged";
import type { StaffMember, Team } from "../lib/types";
import { AvailabilityBadge } from "../shell/availability-badge";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Badge, Button, type Column, ConfirmDialog, Select, Table, useToast } from "../ui";
import { StaffDialog } from "./staff-dialog";

type Editing = { member: StaffMember | null } | null;
const statusOptions = [
  { value: "active", label: "Active" },
  { value: "deactivated", label: "Deactivated" },
];

export function StaffTab() {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const toast = useToast();
  // The API lists active staff unless asked for the deactivated ones.
  const [status, setStatus] = useState<"active" | "deactivated">("active");
  const staff = usePagedList<StaffMember>("/staff", { status });
  const teams = usePagedList<Team>("/teams", { limit: 200 });
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<StaffMember | null>(null);

  const deactivate = useMutation({
    mutationFn: (member: StaffMember) => api.delete<unknown>(`/staff/${member.id}`),
    onSuccess: (_res, member) => {
      void queryClient.invalidateQueries({ queryKey: ["/staff"] });
      toast(`${member.name} was deactivated`, "success");
      setRemoving(null);
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });

  const teamName = (id: string | null) => teams.items.find((t) => t.id === id)?.name ?? "—";
  const columns: Column<StaffMember>[] = [
    {
      header: "Name",
      cell: (s) => (
        <span className="stack" style={{ gap: 0 }}>
          <span>{s.name}</span>
          <span className="muted">{s.email}</span>
        </span>
      ),
    },
    { header: "Role", cell: (s) => roleLabels[s.role], nowrap: true },
    { header: "Team", cell: (s) => teamName(s.teamId) },
    {
      header: "Status",
      cell: (s) =>
        s.status === "deactivated" ? (
          <Badge tone="danger">Deactivated</Badge>
        ) : (
          <AvailabilityBadge value={s.availability} />
        ),
      nowrap: true,
    },
    { header: "Chats", cell: (s) => `${s.activeChats}/${s.maxChats}`, nowrap: true },
    { header: "Calls", cell: (s) => `${s.activeCalls}/${s.maxCalls}`, nowrap: true },
    {
      header: <span className="visually-hidden">Actions</span>,
      nowrap: true,
      cell: (s) =>
        s.status === "deactivated" ? null : (
          <span className="row">
            {hasPermission(me, "staff.edit") && (
              <Button
                size="sm"
                onClick={() => setEditing({ member: s })}
                data-testid={`staff-edit-${s.email}`}
              >
                Edit
              </Button>
            )}
            {hasPermission(me, "staff.delete") && s.id !== me.user.id && (
              <Button
                size="sm"
                variant="danger"
                onClick={() => setRemoving(s)}
                data-testid={`staff-deactivate-${s.email}`}
              >
                Deactivate
              </Button>
            )}
          </span>
        ),
    },
  ];

  return (
    <div className="stack">
      <div className="row">
        <h2 className="spacer">Staff</h2>
        <Select
          aria-label="Which staff to list"
          options={statusOptions}
          value={status}
          onChange={(e) => setStatus(e.target.value === "deactivated" ? "deactivated" : "active")}
          data-testid="staff-status-filter"
          style={{ width: "auto" }}
        />
        {hasPermission(me, "staff.create") && (
          <Button variant="primary" onClick={() => setEditing({ member: null })} data-testid="staff-add">
            Add staff member
          </Button>
        )}
      </div>
      {staff.isError && <Alert tone="danger">{errorMessage(staff.error)}</Alert>}
      <Table
        columns={columns}
        rows={staff.items}
        rowKey={(s) => s.id}
        rowTestId={(s) => `staff-row-${s.email}`}
        loading={staff.isPending}
        empty="No staff members yet."
        testId="staff-table"
        caption="Staff members"
      />
      {staff.hasNextPage && (
        <Button
          onClick={() => staff.fetchNextPage()}
          busy={staff.isFetchingNextPage}
          data-testid="staff-more"
        >
          Load more
        </Button>
      )}
      <StaffDialog
        open={editing !== null}
        member={editing?.member ?? null}
        teams={teams.items}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={removing !== null}
        title="Deactivate staff member"
        message={`${removing?.name ?? ""} will be signed out and can no longer sign in. Their open chats go back to the queue.`}
        confirmLabel="Deactivate"
        busy={deactivate.isPending}
        onConfirm={() => removing && deactivate.mutate(removing)}
        onClose={() => setRemoving(null)}
        testId="staff-deactivate-dialog"
      />
    </div>
  );
}
