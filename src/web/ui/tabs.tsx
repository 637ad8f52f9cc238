import type { KeyboardEvent } from "react";

export interface TabItem {
  id: string;
  label: string;
}

export interface TabsProps {
  items: readonly TabItem[];
  value: string;
  onChange: (id: string) => void;
  label: string;
  /** Tabs get `<prefix>-<id>` as data-testid and id, panels point back to them with tabPanelProps. */
  prefix: string;
}

export function Tabs({ items, value, onChange, label, prefix }: TabsProps) {
  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const index = items.findIndex((t) => t.id === value);
    const step = event.key === "ArrowRight" ? 1 : -1;
    const next = items[(index + step + items.length) % items.length];
    if (!next) return;
    onChange(next.id);
    document.getElementById(`${prefix}-${next.id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {items.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`${prefix}-${t.id}`}
          className="tab"
          aria-selected={t.id === value}
          aria-controls={`${prefix}-${t.id}-panel`}
          tabIndex={t.id === value ? 0 : -1}
          data-testid={`${prefix}-${t.id}`}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function tabPanelProps(prefix: string, id: string) {
  return { role: "tabpanel", id: `${prefix}-${id}-panel`, "aria-labelledby": `${prefix}-${id}` } as const;
}
