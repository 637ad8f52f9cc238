import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../lib/api";
import type { Conversation } from "../lib/chat";
import { hasPermission } from "../lib/me";
import type { Page } from "../lib/types";
import { useSignedIn } from "../shell/signed-in";
import { Button } from "../ui";
import { NewTicketDialog } from "./new-ticket-dialog";
import { type Ticket, ticketsPath } from "./ticket-data";

/** The ticket a chat became, if any. The key starts with the tickets path, so any ticket change refreshes it. */
function useChatTicket(c: Conversation, enabled: boolean) {
  return useQuery({
    queryKey: [ticketsPath, "of-chat", c.id],
    queryFn: () => api.get<Page<Ticket>>(ticketsPath, { conversationId: c.id, limit: 1 }),
    select: (page) => page.items[0] ?? null,
    enabled,
  });
}

/**
 * "Convert to ticket" over a customer's support chat: when it needs follow-up beyond the chat, the chat's thread
 * becomes a ticket's. Once converted, the chat links to its ticket instead.
 */
export function ConvertToTicket({ c }: { c: Conversation }) {
  const me = useSignedIn();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const may = hasPermission(me, "tickets.work") && c.kind === "support" && c.customer !== null;
  const ticket = useChatTicket(c, may);
  if (!may || ticket.isPending) return null;
  if (ticket.data) {
    return (
      <Link
        to={`/console/tickets/${ticket.data.id}`}
        className="btn btn-sm tk-link-button"
        data-testid="chat-ticket-link"
      >
        Ticket {ticket.data.reference}
      </Link>
    );
  }
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)} data-testid="action-convert-ticket">
        Convert to ticket
      </Button>
      <NewTicketDialog
        open={open}
        onClose={() => setOpen(false)}
        onCreated={(t) => {
          setOpen(false);
          navigate(`/console/tickets/${t.id}`);
        }}
        conversationId={c.id}
        initialSubject={c.subject ?? ""}
        title="Convert this chat to a ticket"
        testId="convert-ticket"
      />
    </>
  );
}
