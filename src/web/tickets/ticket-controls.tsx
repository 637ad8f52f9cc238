import type { TicketCategory, TicketPriority, TicketStatus } from "../../protocol/enums";
import { ticketTransitions } from "../../protocol/ticket";
import { useSignedIn } from "../shell/signed-in";
import { Button } from "../ui";
import { SelectField } from "./select-field";
import { type Ticket, useTicketUpdate } from "./ticket-data";
import { categoryOptions, priorityOptions, statusOptions } from "./ticket-labels";

/**
 * Assignment, status, priority and category. The status list holds the current status and only the moves the
 * server allows from it (ticketTransitions), so no choice is a dead end.
 */
export function TicketControls({ t }: { t: Ticket }) {
  const me = useSignedIn();
  const update = useTicketUpdate(t.id);
  const readOnly = t.archivedAt !== null || update.isPending;
  const mine = t.assignee?.id === me.user.id;
  return (
    <div className="stack" data-testid="ticket-controls">
      <div className="row">
        <span>
          Assigned to{" "}
          <strong data-testid="ticket-assignee">
            {t.assignee ? (mine ? "you" : t.assignee.name) : "nobody"}
          </strong>
        </span>
        <span className="spacer" />
        {!mine && (
          <Button
            size="sm"
            variant="primary"
            disabled={readOnly}
            busy={update.isPending && update.variables?.assigneeId === me.user.id}
            onClick={() => update.mutate({ assigneeId: me.user.id })}
            data-testid="ticket-assign-me"
          >
            Assign to me
          </Button>
        )}
        {mine && (
          <Button
            size="sm"
            disabled={readOnly}
            onClick={() => update.mutate({ assigneeId: null })}
            data-testid="ticket-unassign"
          >
            Give back
          </Button>
        )}
      </div>
      <div className="tk-controls">
        <SelectField
          label="Status"
          options={statusOptions([t.status, ...ticketTransitions[t.status]])}
          value={t.status}
          disabled={readOnly}
          onChange={(status) => update.mutate({ status: status as TicketStatus })}
          testId="ticket-status-select"
        />
        <SelectField
          label="Priority"
          options={priorityOptions}
          value={t.priority}
          disabled={readOnly}
          onChange={(priority) => update.mutate({ priority: priority as TicketPriority })}
          testId="ticket-priority-select"
        />
        <SelectField
          label="Category"
          options={categoryOptions}
          value={t.category}
          disabled={readOnly}
          onChange={(category) => update.mutate({ category: category as TicketCategory })}
          testId="ticket-category-select"
        />
      </div>
    </div>
  );
}
