import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, fieldErrors, isApiError } from "../lib/api";
import { Alert, Button, Field, Input } from "../ui";
import { startVisitorSession, type WidgetSession } from "./widget-session";

/** A visitor without an account introduces themselves; a registered customer is sent to the portal instead. */
export function WidgetSignIn({
  tenant,
  notice,
  onSession,
}: {
  tenant: string;
  /** Why the form is shown again (an expired session, an identity that did not check out). */
  notice?: string | null;
  onSession: (session: WidgetSession) => void;
}) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const start = useMutation({
    mutationFn: () => startVisitorSession(tenant, name.trim(), email.trim()),
    onSuccess: onSession,
  });
  const errors = fieldErrors(start.error);
  const registered = isApiError(start.error, 409);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  return (
    <form className="widget-body widget-form stack" onSubmit={submit} data-testid="widget-sign-in">
      <p>Hi! Tell us who you are and we will be right with you.</p>
      {notice && <Alert tone="danger">{notice}</Alert>}
      <Field label="Name" error={errors.name} testId="widget-name">
        {(p) => (
          <Input
            {...p}
            required
            autoComplete="name"
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="widget-name"
          />
        )}
      </Field>
      <Field label="Email" error={errors.email} testId="widget-email">
        {(p) => (
          <Input
            {...p}
            type="email"
            required
            autoComplete="email"
            maxLength={320}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="widget-email"
          />
        )}
      </Field>
      {registered ? (
        <Alert tone="danger" testId="widget-registered">
          This email belongs to an account.{" "}
          <a
            href={`/login?tenant=${encodeURIComponent(tenant)}&next=${encodeURIComponent("/portal")}`}
            target="_blank"
            rel="noreferrer"
            data-testid="widget-portal-link"
          >
            Sign in to the support portal
          </a>{" "}
          to chat with your history.
        </Alert>
      ) : (
        start.isError &&
        !Object.keys(errors).length && <Alert tone="danger">{errorMessage(start.error)}</Alert>
      )}
      <Button type="submit" variant="primary" block busy={start.isPending} data-testid="widget-start">
        Start chatting
      </Button>
    </form>
  );
}
