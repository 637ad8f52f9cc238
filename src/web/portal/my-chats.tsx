import { Link } from "react-router-dom";
import { StatusBadge, UnreadBadge } from "../chat/status-badge";
import { errorMessage } from "../lib/api";
import { type Conversation, conversationsPath } from "../lib/chat";
import { formatTime } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import { Alert, Button, Card } from "../ui";

export function chatTitle(c: Conversation): string {
  return c.subject || `Chat #${c.number}`;
}

/** The customer's conversations, newest activity first; kept current by the area's socket events. */
export function MyChats() {
  const list = usePagedList<Conversation>(conversationsPath, { kind: "support" });
  return (
    <Card title="My conversations" data-testid="my-chats">
      {list.isError && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
      {list.isPending && <p className="muted">Loading…</p>}
      {!list.isPending && list.items.length === 0 && (
        <p className="muted" data-testid="my-chats-empty">
          No conversations yet. Start one and we will get back to you here.
        </p>
      )}
      <ul className="conv-list">
        {list.items.map((c) => (
          <li key={c.id}>
            <Link to={`/portal/chats/${c.id}`} className="conv-row" data-testid={`my-chat-${c.number}`}>
              <span className="conv-title">{chatTitle(c)}</span>
              <StatusBadge status={c.status} testId={`my-chat-${c.number}-status`} />
              <UnreadBadge count={c.unreadCount} testId={`my-chat-${c.number}-unread`} />
              <span className="conv-time muted">{formatTime(c.lastMessageAt ?? c.createdAt)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <Button
          onClick={() => list.fetchNextPage()}
          busy={list.isFetchingNextPage}
          data-testid="my-chats-more"
        >
          Load more
        </Button>
      )}
    </Card>
  );
}
