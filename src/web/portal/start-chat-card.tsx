import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router-dom";
import { api, errorMessage, fieldErrors } from "../lib/api";
import { type Conversation, conversationKey, conversationsPath, newClientId } from "../lib/chat";
import { Alert, Button, Card, Field, Input } from "../ui";

/** A subject and the first message start a support chat, which waits in the queue for an agent. */
export function StartChatCard() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [subject, setSubject] = useState("");
  const [message, setMessage] = useState("");
  // One key per form: a double click or a retry after a timeout cannot start two chats' first messages.
  const [clientId, setClientId] = useState(newClientId);
  const start = useMutation({
    mutationFn: () =>
      api.post<Conversation>(conversationsPath, {
        ...(subject.trim() ? { subject: subject.trim() } : {}),
        message: message.trim(),
        clientId,
      }),
    onSuccess: (conversation) => {
      client.setQueryData(conversationKey(conversation.id), conversation);
      void client.invalidateQueries({ queryKey: [conversationsPath] });
      setClientId(newClientId());
      navigate(`/portal/chats/${conversation.id}`);
    },
  });
  const errors = fieldErrors(start.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (message.trim()) start.mutate();
  };
  return (
    <Card title="Start a chat" data-testid="portal-chat-card">
      <form className="stack" onSubmit={submit}>
        <p className="muted">Talk live with our support team. We usually answer within a few minutes.</p>
        <Field label="Subject" error={errors.subject} testId="start-chat-subject">
          {(p) => (
            <Input
              {...p}
              value={subject}
              maxLength={200}
              placeholder="What is it about?"
              onChange={(e) => setSubject(e.target.value)}
              data-testid="start-chat-subject"
            />
          )}
        </Field>
        <Field label="Message" error={errors.message} testId="start-chat-message">
          {(p) => (
            <textarea
              {...p}
              className="input"
              rows={3}
              required
              maxLength={10_000}
              value={message}
              placeholder="How can we help?"
              onChange={(e) => setMessage(e.target.value)}
              data-testid="start-chat-message"
            />
          )}
        </Field>
        {start.isError && !Object.keys(errors).length && (
          <Alert tone="danger">{errorMessage(start.error)}</Alert>
        )}
        <Button
          type="submit"
          variant="primary"
          busy={start.isPending}
          disabled={!message.trim()}
          data-testid="portal-start-chat"
        >
          Start a chat
        </Button>
      </form>
    </Card>
  );
}
