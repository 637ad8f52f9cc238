import { errorMessage } from "../lib/api";
import { roleLabels } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import type { StaffMember } from "../lib/types";
import { AvailabilityBadge } from "../shell/availability-badge";
import { Alert, Button, Card, type Column, Table } from "../ui";

function load(active: number, max: number) {
  return (
    <span>
      {active}/{max}
    </span>
  );
}

const columns: Column<StaffMember>[] = [
  { header: "Name", cell: (s) => s.name },
  { header: "Role", cell: (s) => roleLabels[s.role], nowrap: true },
  { header: "Availability", cell: (s) => <AvailabilityBadge value={s.availability} />, nowrap: true },
  { header: "Chats", cell: (s) => load(s.activeChats, s.maxChats), nowrap: true },
  { header: "Calls", cell: (s) => load(s.activeCalls, s.maxCalls), nowrap: true },
];

/** Who is working and how loaded they are, for team leads and above. */
export function StaffBoard() {
  const staff = usePagedList<StaffMember>("/staff");
  return (
    <Card
      title="Team board"
      actions={
        <Button
          size="sm"
          onClick={() => staff.refetch()}
          busy={staff.isFetching}
          data-testid="staff-board-refresh"
        >
          Refresh
        </Button>
      }
      data-testid="staff-board"
    >
      {staff.isError && <Alert tone="danger">{errorMessage(staff.error)}</Alert>}
      <Table
        columns={columns}
        rows={staff.items}
        rowKey={(s) => s.id}
        rowTestId={(s) => `staff-board-row-${s.email}`}
        loading={staff.isPending}
        empty="No staff yet."
        testId="staff-board-table"
        caption="Staff availability and load"
      />
      {staff.hasNextPage && (
        <Button
          onClick={() => staff.fetchNextPage()}
          busy={staff.isFetchingNextPage}
          data-testid="staff-board-more"
        >
          Load more
        </Button>
      )}
    </Card>
  );
}
