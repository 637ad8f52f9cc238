/** The live thread shared by the portal, the console and the widget. */
import { type ReactNode, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Conversation, Viewer } from "../lib/chat";
import { useConnected, useSocket } from "../lib/socket";
import { Alert, Button } from "../ui";
import { Composer } from "./composer";
import { MessageItem, PendingItem } from "./message-item";
import { readByOthers } from "./thread-state";
import { useThread } from "./use-thread";
import { typingSentence, useTypers, useTypingEmitter } from "./use-typing";

export interface ChatThreadProps {
  conversation: Conversation;
  viewer: Viewer;
  allowInternal?: boolean;
  /** Why the viewer cannot write here (closed, not picked up…); the composer is replaced by it. */
  readOnlyReason?: ReactNode;
  compact?: boolean;
  placeholder?: string;
}

/** Pixels from the bottom within which the reader counts as "following" the conversation. */
const followSlack = 80;

export function ChatThread({
  conversation,
  viewer,
  allowInternal,
  readOnlyReason,
  compact,
  placeholder,
}: ChatThreadProps) {
  const socket = useSocket();
  const connected = useConnected();
  const thread = useThread(conversation.id);
  const typers = useTypers(conversation.id, viewer.id);
  const emitter = useTypingEmitter(socket, conversation.id);
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [olderBusy, setOlderBusy] = useState(false);

  const readUpTo = useMemo(() => {
    const marks = new Map(conversation.participants.map((p) => [p.userId, p.lastReadSeq]));
    return readByOthers(marks, viewer.id, conversation.customer?.id ?? null, viewer.staff);
  }, [conversation.participants, conversation.customer, viewer]);

  const count = thread.messages.length + thread.pending.length;
  const lastMine = thread.pending.length > 0 || thread.messages.at(-1)?.sender.id === viewer.id;
  // New messages scroll into view only for someone already at the bottom (or who just sent one), so reading
  // older messages is never interrupted.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && count && (following || lastMine)) el.scrollTop = el.scrollHeight;
  }, [count, following, lastMine]);

  const typing = typingSentence(typers);
  return (
    <section
      className={compact ? "chat-thread chat-thread-compact" : "chat-thread"}
      data-testid="chat-thread"
    >
      {!connected && thread.loaded && (
        <p className="chat-reconnecting" role="status" data-testid="thread-reconnecting">
          Reconnecting… messages you send are kept and delivered.
        </p>
      )}
      <div
        ref={scroller}
        className="chat-messages"
        data-testid="thread-messages"
        aria-live="polite"
        aria-busy={!thread.loaded}
        onScroll={(e) => {
          const el = e.currentTarget;
          setFollowing(el.scrollHeight - el.scrollTop - el.clientHeight < followSlack);
        }}
      >
        {thread.joinError && <Alert tone="danger">{thread.joinError}</Alert>}
        {!thread.loaded && !thread.joinError && <p className="muted chat-empty">Loading messages…</p>}
        {thread.olderExist && (
          <Button
            size="sm"
            variant="ghost"
            busy={olderBusy}
            onClick={() => {
              setOlderBusy(true);
              void thread.loadOlder().finally(() => setOlderBusy(false));
            }}
            data-testid="thread-load-older"
          >
            Load earlier messages
          </Button>
        )}
        {thread.loaded && count === 0 && <p className="muted chat-empty">No messages yet.</p>}
        {thread.messages.map((m) => (
          <MessageItem key={m.id} message={m} mine={m.sender.id === viewer.id} readUpTo={readUpTo} />
        ))}
        {thread.pending.map((p) => (
          <PendingItem key={p.clientId} pending={p} onRetry={thread.retry} onDiscard={thread.discard} />
        ))}
      </div>
      <p className="chat-typing" aria-live="polite" data-testid="typing-indicator">
        {typing}
      </p>
      {readOnlyReason ? (
        <div className="chat-readonly" data-testid="composer-readonly">
          {readOnlyReason}
        </div>
      ) : (
        <Composer
          onSend={(text, files, internal) => void thread.send(text, files, internal)}
          onTyping={emitter.typing}
          onStopTyping={emitter.stop}
          allowInternal={allowInternal}
          compact={compact}
          placeholder={placeholder}
        />
      )}
    </section>
  );
}
