import { Link, useParams } from "react-router-dom";
import { ChatThread } from "../chat/chat-thread";
import { SnippetProvider } from "../chat/snippets";
import { StatusBadge } from "../chat/status-badge";
import { errorMessage, isApiError } from "../lib/api";
import { type Conversation, useConversation } from "../lib/chat";
import { hasPermission } from "../lib/me";
import type { Me } from "../lib/types";
import { useSignedIn } from "../shell/signed-in";
import { StaffShell } from "../shell/staff-shell";
import { Alert } from "../ui";
import { ConversationActions, canPickUp, PickUpButton } from "./conversation-actions";
import { CustomerPanel } from "./customer-panel";
import { Inbox, useInboxParams } from "./inbox";

/** Mirrors the server's write policy (conversation.policy.ts) so the composer is only offered where it works. */
function readOnlyReason(c: Conversation, me: Me) {
  if (c.status === "archived") return "This conversation is archived and read-only.";
  const id = me.user.id;
  const member = c.participants.some((p) => p.userId === id && p.role !== "observer");
  if (c.assignee?.id === id || member || hasPermission(me, "chats.reassign")) return undefined;
  if (canPickUp(c, hasPermission(me, "chats.pickup"))) {
    return (
      <span className="row">
        Pick up this chat to reply. <PickUpButton c={c} size="sm" />
      </span>
    );
  }
  return `Assigned to ${c.assignee?.name ?? "someone else"}: you can read but not reply.`;
}

function ConversationView({ c }: { c: Conversation }) {
  return (
    <section className="stack console-thread" data-testid="console-conversation">
      <div className="page-title">
        <h1 className="console-thread-title" data-testid="conversation-title">
          #{c.number} {c.subject || c.customer?.name || "Conversation"}
        </h1>
        <StatusBadge status={c.status} staff testId="conversation-status" />
      </div>
      <ConversationActions c={c} />
      <StaffThread c={c} />
    </section>
  );
}

/** The thread as staff work it: internal notes where allowed, and the composer only where they may write. */
export function StaffThread({ c, compact }: { c: Conversation; compact?: boolean }) {
  const me = useSignedIn();
  return (
    // Canned responses in the composer are filled in with this conversation's details.
    <SnippetProvider value={{ customer: c.customer, agent: me.user, tenant: me.tenant, conversation: c }}>
      <ChatThread
        conversation={c}
        viewer={{ id: me.user.id, name: me.user.name, staff: true }}
        allowInternal={hasPermission(me, "chats.internal")}
        readOnlyReason={readOnlyReason(c, me)}
        compact={compact}
      />
    </SnippetProvider>
  );
}

/** Inbox, thread and customer side by side: the agent's working screen. */
export function ConversationPage() {
  const { id = "" } = useParams();
  const query = useConversation(id);
  const { search } = useInboxParams();
  return (
    <StaffShell alerts>
      <div className="console-columns">
        <div className="console-inbox-column">
          <Link
            to={`/console${search ? `?${search}` : ""}`}
            className="muted"
            data-testid="conversation-back"
          >
            ← Inbox
          </Link>
          <Inbox activeId={id} compact />
        </div>
        {query.data ? (
          <>
            <ConversationView c={query.data} />
            <CustomerPanel c={query.data} />
          </>
        ) : (
          <div>
            {isApiError(query.error, 404) ? (
              <Alert tone="danger" testId="conversation-not-found">
                This conversation does not exist or is not visible to you.
              </Alert>
            ) : query.isError ? (
              <Alert tone="danger">{errorMessage(query.error)}</Alert>
            ) : (
              <p className="muted">Loading…</p>
            )}
          </div>
        )}
      </div>
    </StaffShell>
  );
}
