import type { ReactNode } from "react";
import { ChatThread } from "../chat/chat-thread";
import { SnippetProvider } from "../chat/snippets";
import { errorMessage, isApiError } from "../lib/api";
import { useConversation } from "../lib/chat";
import { hasPermission } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { Alert } from "../ui";
import type { Ticket } from "./ticket-data";

/**
 * A ticket's messages are its conversation's: the live chat thread with its composer (Enter sends, Shift+Enter
 * breaks the line), and for staff the internal-note switch and canned responses.
 */
export function TicketThread({
  ticket,
  staff,
  readOnlyReason,
}: {
  ticket: Ticket;
  staff?: boolean;
  readOnlyReason?: ReactNode;
}) {
  const me = useSignedIn();
  const conversation = useConversation(ticket.conversationId);
  const c = conversation.data;
  if (!c) {
    // A ticket converted from a chat keeps the chat as its thread, which the chat's own rules may keep from you.
    if (isApiError(conversation.error, 404))
      return (
        <Alert tone="danger" testId="ticket-thread-hidden">
          This ticket's messages are in a chat you cannot open
          {ticket.assignee ? `; ${ticket.assignee.name} holds it` : ""}.
        </Alert>
      );
    return conversation.isError ? (
      <Alert tone="danger">{errorMessage(conversation.error)}</Alert>
    ) : (
      <p className="muted">Loading messages…</p>
    );
  }
  const thread = (
    <ChatThread
      conversation={c}
      viewer={{ id: me.user.id, name: me.user.name, staff: !!staff }}
      allowInternal={staff && hasPermission(me, "chats.internal")}
      readOnlyReason={readOnlyReason}
      placeholder={staff ? "Reply to the customer…" : "Write a reply…"}
    />
  );
  if (!staff) return thread;
  return (
    <SnippetProvider value={{ customer: c.customer, agent: me.user, tenant: me.tenant, conversation: c }}>
      {thread}
    </SnippetProvider>
  );
}
