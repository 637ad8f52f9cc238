import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "./button";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  testId?: string;
}

/**
 * The native modal <dialog>: the browser gives focus trapping, Escape and the backdrop for free.
 * Content mounts only while open, so each opening starts with a fresh form.
 */
export function Dialog({ open, onClose, title, children, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose} data-testid={testId}>
      {open && (
        <div className="dialog-body">
          <h2 id={titleId}>{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  message: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  testId: string;
}

/** A yes/no question before something that cannot simply be undone. */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  busy,
  onConfirm,
  onClose,
  testId,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title={title} testId={testId}>
      <p>{message}</p>
      <div className="dialog-actions">
        <Button onClick={onClose} data-testid={`${testId}-cancel`}>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
