import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, fieldErrors, isApiError } from "../lib/api";
import { Alert, Button, Field, Input } from "../ui";
import { startVisitorSession, type VisitorStart, type WidgetSession } from "./widget-session";

/** A 429 from the server says in words why (too many links, too many tries); the generic line would not. */
const refusal = (err: unknown) => (isApiError(err, 429) ? err.message : errorMessage(err));

/** After a known customer's email: the link is in their mailbox, the way back in is to open it. */
function CheckEmail({
  email,
  resend,
  onOtherEmail,
}: {
  email: string;
  resend: { run: () => void; busy: boolean; done: boolean; error: unknown };
  onOtherEmail: () => void;
}) {
  return (
    <div className="widget-body widget-form stack" data-testid="widget-check-email">
      <div className="widget-check-email" role="status">
        <h2>Check your email</h2>
        <p>
          We sent a sign-in link to <strong data-testid="widget-check-email-address">{email}</strong>.
        </p>
        <p className="muted">
          Open it to continue with your earlier chats. It works once, within 15 minutes. Nothing there? Look
          in your spam folder, or send it again.
        </p>
      </div>
      {resend.error ? (
        <Alert tone="danger" testId="widget-resend-error">
          {refusal(resend.error)}
        </Alert>
      ) : (
        resend.done && (
          <Alert tone="success" testId="widget-resent">
            We sent another link; any of them signs you in once.
          </Alert>
        )
      )}
      <Button block busy={resend.busy} onClick={resend.run} data-testid="widget-resend">
        Send the link again
      </Button>
      <Button block variant="ghost" onClick={onOtherEmail} data-testid="widget-other-email">
        Use another email
      </Button>
    </div>
  );
}

/**
 * A visitor introduces themselves. A new email starts a chat at once; an email the tenant already knows gets a
 * one-time sign-in link instead, so an address typed here never opens someone else's history.
 */
export function WidgetSignIn({
  tenant,
  notice,
  onSession,
}: {
  tenant: string;
  /** Why the form is shown again (an expired session, a spent link, an identity that did not check out). */
  notice?: string | null;
  onSession: (session: WidgetSession) => void;
}) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resent, setResent] = useState(false);
  const settle = (result: VisitorStart) => {
    if ("session" in result) onSession(result.session);
    else setSentTo(result.checkEmail);
  };
  const start = useMutation({
    mutationFn: () => startVisitorSession(tenant, name.trim(), email.trim()),
    onSuccess: settle,
  });
  const again = useMutation({
    mutationFn: () => startVisitorSession(tenant, name.trim(), sentTo ?? email.trim()),
    onSuccess: (result) => {
      setResent(true);
      settle(result);
    },
  });
  const errors = fieldErrors(start.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };

  if (sentTo)
    return (
      <CheckEmail
        email={sentTo}
        resend={{
          run: () => {
            setResent(false);
            again.mutate();
          },
          busy: again.isPending,
          done: resent,
          error: again.error,
        }}
        onOtherEmail={() => {
          setSentTo(null);
          setEmail("");
          setResent(false);
          start.reset();
          again.reset();
        }}
      />
    );
  return (
    <form className="widget-body widget-form stack" onSubmit={submit} data-testid="widget-sign-in">
      <p>Hi! Tell us who you are and we will be right with you.</p>
      {notice && (
        <Alert tone="danger" testId="widget-notice">
          {notice}
        </Alert>
      )}
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
      <Field
        label="Email"
        error={errors.email}
        hint="Chatted with us before? We will email you a link back to your chats."
        testId="widget-email"
      >
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
      {start.isError && !Object.keys(errors).length && (
        <Alert tone="danger" testId="widget-start-error">
          {refusal(start.error)}
        </Alert>
      )}
      <Button type="submit" variant="primary" block busy={start.isPending} data-testid="widget-start">
        Start chatting
      </Button>
    </form>
  );
}
