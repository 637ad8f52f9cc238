import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { CallUsCard } from "../calls/call-us-card";
import { ChatThread } from "../chat/chat-thread";
import { QueueNotice } from "../chat/queue-notice";
import { RatingForm } from "../chat/rating-form";
import { liveStatuses, StatusBadge } from "../chat/status-badge";
import { api, errorMessage, isApiError } from "../lib/api";
import { type Conversation, conversationKey, conversationsPath, useConversation } from "../lib/chat";
import { formatDateTime } from "../lib/labels";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Card, ConfirmDialog } from "../ui";
import { chatTitle } from "./my-chats";
import { PortalShell } from "./portal-shell";

function CloseButton({ conversation }: { conversation: Conversation }) {
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const close = useMutation({
    mutationFn: () => api.post<Conversation>(`${conversationsPath}/${conversation.id}/close`),
    onSuccess: (fresh) => {
      client.setQueryData(conversationKey(conversation.id), fresh);
      setAsking(false);
    },
  });
  return (
    <>
      <Button size="sm" onClick={() => setAsking(true)} data-testid="chat-close">
        Close chat
      </Button>
      <ConfirmDialog
        open={asking}
        title="Close this chat?"
        message={
          close.isError ? errorMessage(close.error) : "You can rate the conversation once it is closed."
        }
        confirmLabel="Close chat"
        busy={close.isPending}
        onConfirm={() => close.mutate()}
        onClose={() => setAsking(false)}
        testId="chat-close-dialog"
      />
    </>
  );
}

/** One of the customer's chats, live. */
export function PortalChatPage() {
  const { id = "" } = useParams();
  const me = useSignedIn();
  const query = useConversation(id);
  const c = query.data;
  if (!c) {
    return (
      <PortalShell>
        <Link to="/portal" data-testid="chat-back">
          ← All conversations
        </Link>
        {isApiError(query.error, 404) ? (
          <Alert tone="danger">This conversation does not exist or is not yours.</Alert>
        ) : query.isError ? (
          <Alert tone="danger">{errorMessage(query.error)}</Alert>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </PortalShell>
    );
  }
  const live = liveStatuses.includes(c.status);
  const ended = c.status === "resolved" || c.status === "closed";
  return (
    <PortalShell>
      <Link to="/portal" data-testid="chat-back">
        ← All conversations
      </Link>
      <div className="page-title">
        <h1 data-testid="chat-title">{chatTitle(c)}</h1>
        <StatusBadge status={c.status} testId="chat-status" />
        <span className="spacer" />
        {c.status !== "closed" && c.status !== "archived" && <CloseButton conversation={c} />}
      </div>
      <div className="chat-layout">
        <div className="stack">
          <QueueNotice conversation={c} />
          <ChatThread
            conversation={c}
            viewer={{ id: me.user.id, name: me.user.name, staff: false }}
            readOnlyReason={
              c.status === "closed" || c.status === "archived" ? (
                <>
                  This chat is closed. <Link to="/portal">Start a new chat</Link> if you need anything else.
                </>
              ) : undefined
            }
          />
        </div>
        <aside className="stack">
          {ended && (
            <Card title="Rate this chat">
              <RatingForm conversation={c} />
            </Card>
          )}
          {/* Talking may be quicker: a call from here belongs to this chat. */}
          {live && c.kind === "support" && <CallUsCard conversationId={c.id} />}
          <Card title="Details" data-testid="chat-details">
            <dl className="details">
              <dt>Number</dt>
              <dd>#{c.number}</dd>
              <dt>Agent</dt>
              <dd data-testid="chat-agent">{c.assignee?.name ?? (live ? "Waiting for an agent" : "—")}</dd>
              <dt>Started</dt>
              <dd>{formatDateTime(c.createdAt)}</dd>
            </dl>
          </Card>
        </aside>
      </div>
    </PortalShell>
  );
}
