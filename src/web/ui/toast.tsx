import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";
import { Button } from "./button";

export type ToastKind = "info" | "success" | "error";
/** A button in the toast, such as "Open" on a notice that leads somewhere. */
export interface ToastAction {
  label: string;
  onClick: () => void;
}
interface ToastItem {
  id: number;
  kind: ToastKind;
  message: string;
  action?: ToastAction | undefined;
}
type Notify = (message: string, kind?: ToastKind, action?: ToastAction) => void;

const ToastContext = createContext<Notify>(() => {});
const lifetimeMs = 5000;
/** A toast with something to do stays long enough to be acted on. */
const actionLifetimeMs = 10_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (message, kind = "info", action) => {
      const id = nextId.current++;
      setItems((all) => [...all, { id, kind, message, action }]);
      setTimeout(() => dismiss(id), action ? actionLifetimeMs : lifetimeMs);
    },
    [dismiss],
  );

  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div className="toasts" aria-live="polite">
        {items.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role="status" data-testid={`toast-${t.kind}`}>
            <span className="spacer">{t.message}</span>
            {t.action && (
              <Button
                size="sm"
                onClick={() => {
                  t.action?.onClick();
                  dismiss(t.id);
                }}
                data-testid="toast-action"
              >
                {t.action.label}
              </Button>
            )}
            <Button variant="ghost" size="sm" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </Button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  return useContext(ToastContext);
}
