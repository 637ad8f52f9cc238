import { type FormEvent, useState } from "react";
import { errorMessage, isApiError } from "../lib/api";
import { availabilityLabels } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import type { StaffMember } from "../lib/types";
import { Alert, Button, Dialog, Field, Select } from "../ui";
import { useConversationAction } from "./use-conversation-action";

/** Colleagues who can take one more chat right now; anyone else would be refused by the server anyway. */
function withRoom(staff: readonly StaffMember[], exceptId: string | undefined): StaffMember[] {
  return staff.filter(
    (s) =>
      s.id !== exceptId && s.status === "active" && s.availability === "online" && s.activeChats < s.maxChats,
  );
}

function TransferForm({
  conversationId,
  assigneeId,
  onClose,
}: {
  conversationId: string;
  assigneeId: string | undefined;
  onClose: () => void;
}) {
  const staff = usePagedList<StaffMember>("/staff/colleagues", { limit: 200 });
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const transfer = useConversationAction(conversationId, onClose);
  const options = withRoom(staff.items, assigneeId).map((s) => ({
    value: s.id,
    label: `${s.name} (${availabilityLabels[s.availability]}, ${s.activeChats}/${s.maxChats} chats)`,
  }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (target) transfer.mutate({ kind: "assign", assigneeId: target, note: note.trim() || undefined });
  };
  if (isApiError(staff.error, 403)) {
    return (
      <Alert tone="danger" testId="transfer-forbidden">
        Your role cannot list colleagues. Ask a team lead to reassign this chat.
      </Alert>
    );
  }
  return (
    <form className="stack" onSubmit={submit}>
      {staff.isError && <Alert tone="danger">{errorMessage(staff.error)}</Alert>}
      <Field label="Transfer to" hint="Only online colleagues with room for another chat are listed.">
        {(p) => (
          <Select
            {...p}
            options={options}
            placeholder={
              staff.isPending ? "Loading…" : options.length ? "Choose a colleague" : "Nobody has room now"
            }
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            data-testid="transfer-target"
          />
        )}
      </Field>
      <Field label="Note for them" hint="Kept as an internal note: the customer never sees it.">
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="transfer-note"
          />
        )}
      </Field>
      <div className="dialog-actions">
        <Button onClick={onClose} data-testid="transfer-cancel">
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          busy={transfer.isPending}
          disabled={!target}
          data-testid="transfer-submit"
        >
          Transfer
        </Button>
      </div>
    </form>
  );
}

export function TransferDialog(props: {
  conversationId: string;
  assigneeId: string | undefined;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog open={props.open} onClose={props.onClose} title="Transfer this chat" testId="transfer-dialog">
      <TransferForm
        conversationId={props.conversationId}
        assigneeId={props.assigneeId}
        onClose={props.onClose}
      />
    </Dialog>
  );
}
