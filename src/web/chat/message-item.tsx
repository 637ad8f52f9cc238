import type { MessageView } from "../lib/chat";
import { formatTime, maskLabels } from "../lib/labels";
import { Button, Icon } from "../ui";
import { AttachmentView } from "./attachment-view";
import type { PendingMessage } from "./thread-state";

function MaskedNotice({ kinds }: { kinds: MessageView["masked"] }) {
  const what = [...new Set(kinds)].map((k) => maskLabels[k]);
  const list = what.length > 1 ? `${what.slice(0, -1).join(", ")} and ${what.at(-1)}` : (what[0] ?? "");
  return (
    <p className="chat-masked" data-testid="message-masked-notice">
      <Icon name="lock" size={12} /> {list.charAt(0).toUpperCase() + list.slice(1)} hidden for your security
    </p>
  );
}

/** Written by the system on the tenant's behalf (nobody available, closed hours): never mistaken for a person. */
function AutomaticReply({ message: m }: { message: MessageView }) {
  return (
    <article
      className="chat-message chat-theirs chat-bot"
      data-testid={`message-${m.seq}`}
      data-sender-type="bot"
      aria-label="Automatic reply"
    >
      <header className="chat-meta">
        <Icon name="cpu" size={14} />
        <span className="chat-bot-label" data-testid="message-sender">
          Automatic reply
        </span>
      </header>
      <p className="chat-body" data-testid="message-body">
        {m.body}
      </p>
      <footer className="chat-foot">
        <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
      </footer>
    </article>
  );
}

export interface MessageItemProps {
  message: MessageView;
  mine: boolean;
  /** The other side has read up to this seq: ✓✓ on the viewer's own messages at or below it. */
  readUpTo: number;
}

export function MessageItem({ message: m, mine, readUpTo }: MessageItemProps) {
  if (m.sender.type === "system") {
    return (
      <p className="chat-system" data-testid={`message-${m.seq}`} data-sender-type="system">
        {m.body} <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
      </p>
    );
  }
  if (m.sender.type === "bot") return <AutomaticReply message={m} />;
  const read = m.seq <= readUpTo;
  const classes = ["chat-message", mine ? "chat-mine" : "chat-theirs", m.internal && "chat-internal"];
  return (
    <article
      className={classes.filter(Boolean).join(" ")}
      data-testid={`message-${m.seq}`}
      data-internal={m.internal}
      data-mine={mine}
      data-sender-type={m.sender.type}
    >
      <header className="chat-meta">
        {m.internal && (
          <span className="chat-note-label" data-testid="message-internal-label">
            Internal note
          </span>
        )}
        <span className="chat-sender" data-testid="message-sender">
          {mine ? "You" : m.sender.name}
        </span>
      </header>
      {m.body && (
        <p className="chat-body" data-testid="message-body">
          {m.body}
        </p>
      )}
      {m.attachments.length > 0 && (
        <div className="chat-attachments">
          {m.attachments.map((a) => (
            <AttachmentView key={a.id} file={a} />
          ))}
        </div>
      )}
      {m.masked.length > 0 && <MaskedNotice kinds={m.masked} />}
      <footer className="chat-foot">
        <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
        {mine && !m.internal && (
          <span
            className={read ? "chat-tick chat-tick-read" : "chat-tick"}
            data-testid="message-read-mark"
            data-read={read}
            title={read ? "Read" : "Sent"}
          >
            <span aria-hidden="true">{read ? "✓✓" : "✓"}</span>
            <span className="visually-hidden">{read ? "Read" : "Sent"}</span>
          </span>
        )}
      </footer>
    </article>
  );
}

export function PendingItem({
  pending: p,
  onRetry,
  onDiscard,
}: {
  pending: PendingMessage;
  onRetry: (p: PendingMessage) => void;
  onDiscard: (clientId: string) => void;
}) {
  const failed = p.status === "failed";
  const classes = ["chat-message", "chat-mine", "chat-pending", p.internal && "chat-internal"];
  return (
    <article className={classes.filter(Boolean).join(" ")} data-testid={`pending-${p.clientId}`}>
      {p.body && <p className="chat-body">{p.body}</p>}
      {p.attachments.map((a) => (
        <span key={a.id} className="chat-file">
          <Icon name="paperclip" size={14} /> {a.name}
        </span>
      ))}
      <footer className="chat-foot">
        {failed ? (
          <>
            <span className="chat-failed" role="alert">
              Not sent{p.error ? `: ${p.error}` : ""}
            </span>
            <Button size="sm" variant="ghost" onClick={() => onRetry(p)} data-testid="pending-retry">
              Retry
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => onDiscard(p.clientId)}
              data-testid="pending-discard"
            >
              Discard
            </Button>
          </>
        ) : (
          <span className="muted">Sending…</span>
        )}
      </footer>
    </article>
  );
}
