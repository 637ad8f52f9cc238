/** Ticket data for the portal and console screens: queries, the one mutation, and live cache updates. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import type { TicketCategory, TicketPriority, TicketStatus } from "../../protocol/enums";
import type { Ticket, TicketActivity } from "../../protocol/ticket";
import { api, errorMessage } from "../lib/api";
import { useSocketEvent } from "../lib/socket";
import { useToast } from "../ui";

export type { Ticket, TicketActivity };

export const ticketsPath = "/tickets";
export const ticketKey = (id: string) => ["ticket", id] as const;
export const ticketActivityKey = (id: string) => ["ticket", id, "activity"] as const;

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKey(id), queryFn: () => api.get<Ticket>(`${ticketsPath}/${id}`) });
}

export function useTicketActivity(id: string) {
  return useQuery({
    queryKey: ticketActivityKey(id),
    queryFn: () => api.get<{ items: TicketActivity[] }>(`${ticketsPath}/${id}/activity`),
    select: (page) => page.items,
  });
}

/**
 * Events present the ticket for its audience as a whole; a staff member's own fetch may know the customer's
 * email, which an event for the customer never carries, so keep what was known.
 */
function mergeTicket(old: Ticket | undefined, fresh: Ticket): Ticket {
  if (!old?.customer || !fresh.customer || old.customer.id !== fresh.customer.id) return fresh;
  return { ...fresh, customer: { ...old.customer, ...fresh.customer } };
}

/** After any change to a ticket: its page, its trail and every list that may now order or filter it differently. */
export function useTicketRefresh() {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  return (ticket: Ticket) => {
    client.setQueryData<Ticket>(ticketKey(ticket.id), (old) => mergeTicket(old, ticket));
    void client.invalidateQueries({ queryKey: ticketActivityKey(ticket.id) });
    // A burst of events (a reply and the status it reopened) refetches the lists once.
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: [ticketsPath] });
    }, 250);
  };
}

/** Keeps ticket pages and lists current from `ticket:updated`, without a reload. */
export function useTicketSync(): void {
  const refresh = useTicketRefresh();
  useSocketEvent("ticket:updated", ({ ticket }) => refresh(ticket));
}

export interface TicketPatch {
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
  assigneeId?: string | null;
}

/**
 * Status, priority, category or assignee. A refusal (a transition someone else's change made impossible) is shown
 * as a toast and the ticket is asked for again, since what was shown was evidently out of date.
 */
export function useTicketUpdate(id: string) {
  const client = useQueryClient();
  const refresh = useTicketRefresh();
  const toast = useToast();
  return useMutation({
    mutationFn: (patch: TicketPatch) => api.patch<Ticket>(`${ticketsPath}/${id}`, patch),
    onSuccess: refresh,
    onError: (err) => {
      toast(errorMessage(err), "error");
      void client.invalidateQueries({ queryKey: ticketKey(id) });
    },
  });
}
