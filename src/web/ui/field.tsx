import { type ReactElement, type ReactNode, useId } from "react";

export interface FieldControlProps {
  id: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

export interface FieldProps {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Used for the error's data-testid (`<testId>-error`) so tests can find a field's message. */
  testId?: string;
  /** Receives the id and aria wiring so the label, hint and error are announced with the control. */
  children: (control: FieldControlProps) => ReactElement;
}

/**
 * The server words field errors to follow the field's name ("is required", "must be an email address"), so a
 * lower-case message is shown after the label; full sentences (our own) are shown as they are.
 */
function sentence(label: ReactNode, error: string): string {
  return typeof label === "string" && /^[a-z]/.test(error) ? `${label} ${error}` : error;
}

export function Field({ label, error, hint, testId, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={errorId} role="alert" data-testid={testId && `${testId}-error`}>
          {sentence(label, error)}
        </span>
      )}
    </div>
  );
}
