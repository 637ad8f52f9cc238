import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";
import { Button } from "./button";

export type ToastKind = "info" | "success" | "error";
interface ToastItem {
  id: number;
  kind: ToastKind;
  message: string;
}
type Notify = (message: string, kind?: ToastKind) => void;

const ToastContext = createContext<Notify>(() => {});
const lifetimeMs = 5000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (message, kind = "info") => {
      const id = nextId.current++;
      setItems((all) => [...all, { id, kind, message }]);
      setTimeout(() => dismiss(id), lifetimeMs);
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
