import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { CustomerCall } from "../calls/call-us-card";
import { ChatThread } from "../chat/chat-thread";
import { QueueNotice } from "../chat/queue-notice";
import { RatingForm } from "../chat/rating-form";
import { liveStatuses, StatusBadge } from "../chat/status-badge";
import { alertHidden } from "../lib/alerts";
import { api, errorMessage, isApiError } from "../lib/api";
import {
  type Conversation,
  conversationKey,
  conversationsPath,
  newClientId,
  useConversation,
  useConversationSync,
} from "../lib/chat";
import { formatTime } from "../lib/labels";
import type { Page } from "../lib/types";
import { Alert, Button } from "../ui";
import type { WidgetSession } from "./widget-session";

/** The first message starts the chat; until then nothing is created for a visitor who only looked. */
function FirstMessage({ onStarted }: { onStarted: (c: Conversation) => void }) {
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [clientId] = useState(newClientId);
  const start = useMutation({
    mutationFn: () => api.post<Conversation>(conversationsPath, { message: text.trim(), clientId }),
    onSuccess: (c) => {
      client.setQueryData(conversationKey(c.id), c);
      onStarted(c);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) start.mutate();
  };
  return (
    <form className="widget-body widget-form stack" onSubmit={submit} data-testid="widget-first-message">
      <p>How can we help you today?</p>
      <textarea
        className="input"
        rows={4}
        required
        maxLength={10_000}
        aria-label="Your message"
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="widget-first-input"
      />
      {start.isError && <Alert tone="danger">{errorMessage(start.error)}</Alert>}
      <Button
        type="submit"
        variant="primary"
        block
        busy={start.isPending}
        disabled={!text.trim()}
        data-testid="widget-first-send"
      >
        Send
      </Button>
    </form>
  );
}

/** Chats that are over, newest first: what a returning visitor comes back for. */
function EarlierChats({ chats, onOpen }: { chats: Conversation[]; onOpen: (id: string) => void }) {
  if (!chats.length) return null;
  return (
    <section className="widget-history" aria-labelledby="widget-history-title">
      <h3 id="widget-history-title">Your earlier chats</h3>
      <ul data-testid="widget-history">
        {chats.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="widget-history-row"
              onClick={() => onOpen(c.id)}
              data-testid={`widget-history-${c.number}`}
            >
              <span className="widget-history-name">{c.subject || `Chat #${c.number}`}</span>
              <StatusBadge status={c.status} />
              <span className="muted">{formatTime(c.lastMessageAt ?? c.createdAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Thread({ id, session, onNew }: { id: string; session: WidgetSession; onNew: () => void }) {
  const query = useConversation(id);
  const c = query.data;
  if (!c)
    return <p className="widget-body muted">{query.isError ? errorMessage(query.error) : "Loading…"}</p>;
  const ended = !liveStatuses.includes(c.status);
  const rateable = c.status === "resolved" || c.status === "closed";
  return (
    <div className="widget-thread" data-testid="widget-thread" data-status={c.status}>
      {!ended && (
        <div className="widget-call">
          <CustomerCall conversationId={c.id} compact />
        </div>
      )}
      <QueueNotice conversation={c} compact />
      {ended && (
        <div className="widget-banner widget-rate">
          {rateable && <RatingForm conversation={c} />}
          <Button size="sm" onClick={onNew} data-testid="widget-new-chat">
            Start a new chat
          </Button>
        </div>
      )}
      <ChatThread
        compact
        conversation={c}
        viewer={{ id: session.userId, name: session.name, staff: false }}
        readOnlyReason={c.status === "closed" || c.status === "archived" ? "This chat has ended." : undefined}
        placeholder="Type your message…"
      />
    </div>
  );
}

/** Continues the visitor's ongoing chat, or starts one; reports an expired token so the form shows again. */
export function WidgetChat({ session, onExpired }: { session: WidgetSession; onExpired: () => void }) {
  const [current, setCurrent] = useState<string | null>(null);
  const [fresh, setFresh] = useState(false);
  useConversationSync((m) => {
    if (m.sender.id !== session.userId && m.sender.type !== "system" && m.sender.type !== "bot")
      alertHidden(m.sender.name, m.body);
  });
  const mine = useQuery({
    queryKey: [conversationsPath, { widget: session.userId }],
    queryFn: () => api.get<Page<Conversation>>(conversationsPath, { kind: "support", limit: 20 }),
  });
  useEffect(() => {
    if (isApiError(mine.error, 401)) onExpired();
  }, [mine.error, onExpired]);

  const ongoing = mine.data?.items.find((c) => liveStatuses.includes(c.status));
  const id = current ?? (fresh ? null : (ongoing?.id ?? null));
  if (mine.isPending) return <p className="widget-body muted">Loading…</p>;
  if (mine.isError && !isApiError(mine.error, 401))
    return <Alert tone="danger">{errorMessage(mine.error)}</Alert>;
  if (!id)
    return (
      <div className="widget-start">
        <FirstMessage onStarted={(c) => setCurrent(c.id)} />
        <EarlierChats
          chats={mine.data?.items.filter((c) => !liveStatuses.includes(c.status)) ?? []}
          onOpen={setCurrent}
        />
      </div>
    );
  return (
    <Thread
      id={id}
      session={session}
      onNew={() => {
        setCurrent(null);
        setFresh(true);
      }}
    />
  );
}
