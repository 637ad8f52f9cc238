import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router-dom";
import type { Call } from "../../protocol/call";
import { liveStatuses, StatusBadge } from "../chat/status-badge";
import { StaffThread } from "../console/conversation-page";
import { PastConversations } from "../console/customer-panel";
import { api, errorMessage } from "../lib/api";
import { type Conversation, conversationsPath, useConversation } from "../lib/chat";
import { hasPermission } from "../lib/me";
import { usePagedList } from "../lib/paged";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Card } from "../ui";

/** The chat beside the call: the staff member writes in it while talking (a link, a reference, a summary). */
function CallChat({ id }: { id: string }) {
  const query = useConversation(id);
  const c = query.data;
  if (!c)
    return query.isError ? (
      <Alert tone="danger">{errorMessage(query.error)}</Alert>
    ) : (
      <p className="muted">Loading the chat…</p>
    );
  return (
    <section className="stack" data-testid="call-chat" data-conversation-id={c.id}>
      <div className="row">
        <Link to={`/console/conversations/${c.id}`} className="conv-title" data-testid="call-chat-open">
          #{c.number} {c.subject || "Chat"}
        </Link>
        <StatusBadge status={c.status} staff />
      </div>
      <StaffThread c={c} compact />
    </section>
  );
}

/**
 * What the staff member needs while on a call, around its controls (`children`): who the customer is, what they
 * wrote before, and a chat with them. The chat is the one the call was placed from, else the customer's latest open chat;
 * without either, one click starts a chat with them.
 */
export function CallWorkspace({ call, children }: { call: Call; children: ReactNode }) {
  const me = useSignedIn();
  const client = useQueryClient();
  const customer = call.customer;
  // The same list the Conversations card shows, so it is fetched once.
  const past = usePagedList<Conversation>(conversationsPath, { customerId: customer?.id ?? "", limit: 20 });
  const [started, setStarted] = useState<string | null>(null);
  const open = past.items.find((c) => c.kind === "support" && liveStatuses.includes(c.status));
  const chatId = call.conversationId ?? started ?? open?.id ?? null;
  const start = useMutation({
    mutationFn: () =>
      api.post<Conversation>(conversationsPath, {
        kind: "support",
        participantIds: [customer!.id],
        subject: "Phone call",
      }),
    onSuccess: (c) => {
      setStarted(c.id);
      void client.invalidateQueries({ queryKey: [conversationsPath] });
    },
  });

  return (
    <div className="call-workspace" data-testid="call-workspace">
      <div className="call-workspace-customer stack">
        {children}
        <Card title="Customer">
          {customer ? (
            <dl className="details">
              <dt>Name</dt>
              <dd data-testid="call-customer-name">{customer.name}</dd>
              <dt>Email</dt>
              <dd data-testid="call-customer-email">
                {customer.email ? <a href={`mailto:${customer.email}`}>{customer.email}</a> : "—"}
              </dd>
            </dl>
          ) : (
            <p className="muted">The caller's account no longer exists.</p>
          )}
        </Card>
        {customer && (
          <Card title="Conversations">
            <PastConversations customerId={customer.id} />
          </Card>
        )}
      </div>
      <div className="call-workspace-chat">
        {chatId ? (
          <CallChat id={chatId} />
        ) : customer && hasPermission(me, "chats.outbound") ? (
          <div className="stack">
            <p className="muted">No open chat with {customer.name}.</p>
            <Button data-testid="call-start-chat" busy={start.isPending} onClick={() => start.mutate()}>
              Start a chat with {customer.name}
            </Button>
            {start.isError && <Alert tone="danger">{errorMessage(start.error)}</Alert>}
          </div>
        ) : (
          <p className="muted">No open chat with this caller.</p>
        )}
      </div>
    </div>
  );
}
