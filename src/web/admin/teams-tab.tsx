import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../lib/api";
import { formatDate } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import type { StaffMember, Team } from "../lib/types";
import { Alert, Button, type Column, ConfirmDialog, Table, useToast } from "../ui";
import { TeamDialog } from "./team-dialog";

export function TeamsTab() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const teams = usePagedList<Team>("/teams");
  // Leads and members are picked from the whole staff list, so ask for the largest page.
  const staff = usePagedList<StaffMember>("/staff", { limit: 200 });
  const [editing, setEditing] = useState<{ team: Team | null } | null>(null);
  const [removing, setRemoving] = useState<Team | null>(null);

  const remove = useMutation({
    mutationFn: (team: Team) => api.delete<unknown>(`/teams/${team.id}`),
    onSuccess: (_res, team) => {
      void queryClient.invalidateQueries({ queryKey: ["/teams"] });
      void queryClient.invalidateQueries({ queryKey: ["/staff"] });
      toast(`Team ${team.name} deleted`, "success");
      setRemoving(null);
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });

  const nameOf = (id: string | null) => staff.items.find((s) => s.id === id)?.name ?? "—";
  const columns: Column<Team>[] = [
    { header: "Team", cell: (t) => t.name },
    { header: "Lead", cell: (t) => nameOf(t.leadId) },
    {
      header: "Members",
      cell: (t) => (t.memberIds.length === 0 ? "—" : t.memberIds.map(nameOf).join(", ")),
    },
    { header: "Created", cell: (t) => formatDate(t.createdAt), nowrap: true },
    {
      header: <span className="visually-hidden">Actions</span>,
      nowrap: true,
      cell: (t) => (
        <span className="row">
          <Button size="sm" onClick={() => setEditing({ team: t })} data-testid={`team-edit-${t.name}`}>
            Edit
          </Button>
          <Button
            size="sm"
            variant="danger"
            onClick={() => setRemoving(t)}
            data-testid={`team-delete-${t.name}`}
          >
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="stack">
      <div className="row">
        <h2 className="spacer">Teams</h2>
        <Button variant="primary" onClick={() => setEditing({ team: null })} data-testid="team-add">
          New team
        </Button>
      </div>
      {teams.isError && <Alert tone="danger">{errorMessage(teams.error)}</Alert>}
      <Table
        columns={columns}
        rows={teams.items}
        rowKey={(t) => t.id}
        rowTestId={(t) => `team-row-${t.name}`}
        loading={teams.isPending}
        empty="No teams yet."
        testId="teams-table"
        caption="Teams"
      />
      {teams.hasNextPage && (
        <Button
          onClick={() => teams.fetchNextPage()}
          busy={teams.isFetchingNextPage}
          data-testid="teams-more"
        >
          Load more
        </Button>
      )}
      <TeamDialog
        open={editing !== null}
        team={editing?.team ?? null}
        staff={staff.items}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={removing !== null}
        title="Delete team"
        message={`Delete the team ${removing?.name ?? ""}? Its members stay, without a team.`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
        testId="team-delete-dialog"
      />
    </div>
  );
}
