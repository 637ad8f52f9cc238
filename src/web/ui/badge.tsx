import type { ReactNode } from "react";

export type Tone = "neutral" | "primary" | "success" | "warning" | "danger";

export function Badge({
  tone = "neutral",
  children,
  testId,
}: {
  tone?: Tone;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

/** A boxed message for form-level errors and results; errors are announced to screen readers at once. */
export function Alert({
  tone,
  children,
  testId,
}: {
  tone: "danger" | "success";
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "danger" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}
