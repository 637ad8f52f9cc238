import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import type { CannedResponse, CannedScope } from "../../protocol/canned";
import { cannedVariables, fillVariables } from "../../protocol/canned-variables";
import { cannedPath } from "../chat/snippets";
import { api, errorMessage, fieldErrors, isApiError } from "../lib/api";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Dialog, Field, Input, useToast } from "../ui";
import { changedFields } from "./form-values";

export interface CannedDialogProps {
  open: boolean;
  /** null creates a new one in `scope`. */
  canned: CannedResponse | null;
  scope: CannedScope;
  onClose: () => void;
}

export function CannedDialog({ open, canned, scope, onClose }: CannedDialogProps) {
  const title = canned
    ? `Edit /${canned.shortcut}`
    : scope === "tenant"
      ? "New shared canned response"
      : "New personal canned response";
  return (
    <Dialog open={open} onClose={onClose} title={title} testId="canned-dialog">
      <CannedForm canned={canned} scope={scope} onDone={onClose} />
    </Dialog>
  );
}

interface CannedFields {
  shortcut: string;
  title: string;
  body: string;
}

/** A customer and conversation to show what a snippet will look like. */
const sample = {
  customer: { name: "John Doe", email: "john.doe@example.com" },
  conversation: { number: 1042 },
};

function CannedForm({
  canned,
  scope,
  onDone,
}: {
  canned: CannedResponse | null;
  scope: CannedScope;
  onDone: () => void;
}) {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const toast = useToast();
  const bodyInput = useRef<HTMLTextAreaElement>(null);
  const initial: CannedFields = {
    shortcut: canned?.shortcut ?? "",
    title: canned?.title ?? "",
    body: canned?.body ?? "",
  };
  const [form, setForm] = useState<CannedFields>(initial);

  const save = useMutation({
    mutationFn: () => {
      // A leading slash is how people think of a shortcut; it is not part of it.
      const next = { ...form, shortcut: form.shortcut.trim().replace(/^\//, "") };
      if (!canned) return api.post<CannedResponse>(cannedPath, { ...next, scope });
      return api.patch<CannedResponse>(`${cannedPath}/${canned.id}`, changedFields(initial, next));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [cannedPath] });
      toast(canned ? "Canned response updated" : "Canned response created", "success");
      onDone();
    },
  });

  const errors = fieldErrors(save.error);
  // A taken shortcut is a 409 whose message says in which scope.
  if (isApiError(save.error, 409)) errors.shortcut = save.error.message;
  const formError = save.error && Object.keys(errors).length === 0 ? errorMessage(save.error) : null;

  const insertVariable = (name: string) => {
    const el = bodyInput.current;
    const tag = `{{${name}}}`;
    const at = el ? el.selectionStart : form.body.length;
    const end = el ? el.selectionEnd : form.body.length;
    setForm((f) => ({ ...f, body: f.body.slice(0, at) + tag + f.body.slice(end) }));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + tag.length, at + tag.length);
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="canned-form">
      <Field
        label="Shortcut"
        error={errors.shortcut}
        hint="Typed after / in the message box: letters, digits, - and _."
        testId="canned-shortcut"
      >
        {(p) => (
          <Input
            {...p}
            value={form.shortcut}
            maxLength={33}
            autoComplete="off"
            spellCheck={false}
            placeholder="hello"
            onChange={(e) => setForm((f) => ({ ...f, shortcut: e.target.value }))}
            data-testid="canned-shortcut"
          />
        )}
      </Field>
      <Field label="Title" error={errors.title} testId="canned-title">
        {(p) => (
          <Input
            {...p}
            value={form.title}
            maxLength={100}
            placeholder="Greeting"
            onChange={(e) => setForm((f) => ({ ...f, title: e.target.value }))}
            data-testid="canned-title"
          />
        )}
      </Field>
      <Field label="Text" error={errors.body} testId="canned-body">
        {(p) => (
          <textarea
            {...p}
            ref={bodyInput}
            className="input"
            rows={5}
            maxLength={4000}
            value={form.body}
            onChange={(e) => setForm((f) => ({ ...f, body: e.target.value }))}
            data-testid="canned-body"
          />
        )}
      </Field>
      <fieldset className="stack" style={{ gap: "0.35rem", border: "none", padding: 0, margin: 0 }}>
        <legend className="field-label">Insert a variable</legend>
        <div className="row">
          {cannedVariables.map((v) => (
            <Button key={v} size="sm" onClick={() => insertVariable(v)} data-testid={`canned-var-${v}`}>
              {`{{${v}}}`}
            </Button>
          ))}
        </div>
      </fieldset>
      {form.body.trim() && (
        <div className="stack" style={{ gap: "0.2rem" }}>
          <span className="field-label">Preview</span>
          <p className="muted" style={{ whiteSpace: "pre-wrap", margin: 0 }} data-testid="canned-preview">
            {fillVariables(form.body, { ...sample, agent: me.user, tenant: me.tenant })}
          </p>
        </div>
      )}
      {formError && (
        <Alert tone="danger" testId="canned-form-error">
          {formError}
        </Alert>
      )}
      <div className="dialog-actions">
        <Button onClick={onDone} data-testid="canned-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="canned-submit">
          {canned ? "Save" : "Create"}
        </Button>
      </div>
    </form>
  );
}
