import { type FormEvent, useState } from "react";
import { Button, Dialog, Field } from "../ui";
import { useConversationAction } from "./use-conversation-action";

/** Escalation goes to the tenant's supervisors and admins with a reason they can act on. */
export function EscalateDialog({
  conversationId,
  open,
  onClose,
}: {
  conversationId: string;
  open: boolean;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const escalate = useConversationAction(conversationId, () => {
    setReason("");
    onClose();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) escalate.mutate({ kind: "escalate", reason: reason.trim() });
  };
  return (
    <Dialog open={open} onClose={onClose} title="Escalate this conversation" testId="escalate-dialog">
      <form className="stack" onSubmit={submit}>
        <Field label="Reason" hint="Supervisors and admins are notified at once.">
          {(p) => (
            <textarea
              {...p}
              className="input"
              rows={3}
              required
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="escalate-reason"
            />
          )}
        </Field>
        <div className="dialog-actions">
          <Button onClick={onClose} data-testid="escalate-cancel">
            Cancel
          </Button>
          <Button
            type="submit"
            variant="danger"
            busy={escalate.isPending}
            disabled={!reason.trim()}
            data-testid="escalate-submit"
          >
            Escalate
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
