import { Link } from "react-router-dom";
import { StatusBadge } from "../chat/status-badge";
import { type Conversation, conversationsPath } from "../lib/chat";
import { formatDate, formatDateTime } from "../lib/labels";
import { usePagedList } from "../lib/paged";
import { Card } from "../ui";

/** The customer's other conversations, newest first, each a link to open it. */
export function PastConversations({ customerId, currentId }: { customerId: string; currentId?: string }) {
  const past = usePagedList<Conversation>(conversationsPath, { customerId, limit: 20 });
  const others = past.items.filter((c) => c.id !== currentId);
  if (past.isPending) return <p className="muted">Loading…</p>;
  if (!others.length)
    return (
      <p className="muted" data-testid="customer-past-empty">
        No other conversations.
      </p>
    );
  return (
    <ul className="conv-list" data-testid="customer-past">
      {others.map((c) => (
        <li key={c.id}>
          <Link
            to={`/console/conversations/${c.id}`}
            className="conv-row"
            data-testid={`customer-past-${c.number}`}
          >
            <span className="conv-title">
              #{c.number} {c.subject || "No subject"}
            </span>
            <StatusBadge status={c.status} staff />
          </Link>
          <span className="conv-sub">{formatDate(c.createdAt)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Who the staff member is talking to, and what came before, beside the thread. */
export function CustomerPanel({ c }: { c: Conversation }) {
  return (
    <aside className="stack" data-testid="customer-panel">
      <Card title="Customer">
        {c.customer ? (
          <dl className="details">
            <dt>Name</dt>
            <dd data-testid="customer-name">{c.customer.name}</dd>
            <dt>Email</dt>
            <dd data-testid="customer-email">
              {c.customer.email ? <a href={`mailto:${c.customer.email}`}>{c.customer.email}</a> : "—"}
            </dd>
          </dl>
        ) : (
          <p className="muted">No customer on this conversation.</p>
        )}
      </Card>
      <Card title="Conversation">
        <dl className="details">
          <dt>Number</dt>
          <dd>#{c.number}</dd>
          <dt>Agent</dt>
          <dd data-testid="conversation-assignee">{c.assignee?.name ?? "Unassigned"}</dd>
          <dt>Priority</dt>
          <dd>{c.priority}</dd>
          <dt>Started</dt>
          <dd>{formatDateTime(c.createdAt)}</dd>
          <dt>First reply</dt>
          <dd>{formatDateTime(c.firstResponseAt)}</dd>
          {c.rating !== null && (
            <>
              <dt>Rating</dt>
              <dd data-testid="conversation-rating">
                {"★".repeat(c.rating)}
                {c.feedback ? ` “${c.feedback}”` : ""}
              </dd>
            </>
          )}
        </dl>
      </Card>
      {c.customer && (
        <Card title="Past conversations">
          <PastConversations customerId={c.customer.id} currentId={c.id} />
        </Card>
      )}
    </aside>
  );
}
