import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage, fieldErrors } from "../lib/api";
import { newClientId } from "../lib/chat";
import { Alert, Button, Dialog, Field, Input, Select } from "../ui";
import { type Ticket, ticketsPath, useTicketRefresh } from "./ticket-data";
import {
  descriptionMax,
  emptyTicketForm,
  subjectMax,
  type TicketForm,
  ticketBody,
  validateTicketForm,
} from "./ticket-form";
import { categoryOptions, priorityOptions } from "./ticket-labels";

export interface NewTicketDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (ticket: Ticket) => void;
  /** Converting a chat: its thread becomes the ticket's. */
  conversationId?: string;
  initialSubject?: string;
  title?: string;
  testId?: string;
}

function TicketFormBody({
  conversationId,
  initialSubject,
  onClose,
  onCreated,
  testId,
}: NewTicketDialogProps) {
  const refresh = useTicketRefresh();
  const [form, setForm] = useState<TicketForm>({ ...emptyTicketForm, subject: initialSubject ?? "" });
  const [tried, setTried] = useState(false);
  // One key per opened form: a double click or a retry after a timeout cannot open two tickets.
  const [clientId] = useState(newClientId);
  const create = useMutation({
    mutationFn: () =>
      api.post<Ticket>(ticketsPath, ticketBody(form, conversationId ? { conversationId } : { clientId })),
    onSuccess: (ticket) => {
      refresh(ticket);
      onCreated(ticket);
    },
  });
  const local = tried ? validateTicketForm(form) : {};
  const server = fieldErrors(create.error);
  const error = (name: keyof TicketForm) => local[name] ?? server[name];
  const set = <K extends keyof TicketForm>(key: K, value: TicketForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(validateTicketForm(form)).length === 0) create.mutate();
  };
  const id = testId ?? "new-ticket";
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field label="Subject" error={error("subject")} testId={`${id}-subject`}>
        {(p) => (
          <Input
            {...p}
            value={form.subject}
            maxLength={subjectMax}
            placeholder="What is it about?"
            onChange={(e) => set("subject", e.target.value)}
            data-testid={`${id}-subject`}
          />
        )}
      </Field>
      <div className="tk-controls">
        <Field label="Category" error={error("category")} testId={`${id}-category`}>
          {(p) => (
            <Select
              {...p}
              options={categoryOptions}
              placeholder="Choose…"
              value={form.category}
              onChange={(e) => set("category", e.target.value as TicketForm["category"])}
              data-testid={`${id}-category`}
            />
          )}
        </Field>
        <Field label="Priority" error={error("priority")} testId={`${id}-priority`}>
          {(p) => (
            <Select
              {...p}
              options={priorityOptions}
              value={form.priority}
              onChange={(e) => set("priority", e.target.value as TicketForm["priority"])}
              data-testid={`${id}-priority`}
            />
          )}
        </Field>
      </div>
      <Field
        label="Description"
        error={error("description")}
        hint={conversationId ? "For the ticket's record; the chat so far stays its thread." : undefined}
        testId={`${id}-description`}
      >
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={5}
            maxLength={descriptionMax}
            value={form.description}
            placeholder="Tell us what happened, and what you expected."
            onChange={(e) => set("description", e.target.value)}
            data-testid={`${id}-description`}
          />
        )}
      </Field>
      {create.isError && !Object.keys(server).length && (
        <Alert tone="danger" testId={`${id}-error`}>
          {errorMessage(create.error)}
        </Alert>
      )}
      <div className="dialog-actions">
        <Button onClick={onClose} data-testid={`${id}-cancel`}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={create.isPending} data-testid={`${id}-submit`}>
          {conversationId ? "Convert to ticket" : "Open ticket"}
        </Button>
      </div>
    </form>
  );
}

/** Subject, category, priority and description: from the portal, or over a chat in the console. */
export function NewTicketDialog(props: NewTicketDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      title={props.title ?? "New ticket"}
      testId={`${props.testId ?? "new-ticket"}-dialog`}
    >
      <TicketFormBody {...props} />
    </Dialog>
  );
}
