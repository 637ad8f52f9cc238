/** Conversation data for the chat screens: shapes from src/protocol, queries, and live cache updates. */
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import type { Conversation } from "../../protocol/conversation";
import type { MessageView } from "../../protocol/events";
import { api } from "./api";
import { useSocketEvent } from "./socket";

export type { Conversation, MessageView };
export type Attachment = MessageView["attachments"][number];
export type UploadedFile = Attachment;

/** Who is looking at a thread; the widget has no /me context, so screens pass this in. */
export interface Viewer {
  id: string;
  name: string;
  staff: boolean;
}

export const conversationsPath = "/conversations";
export const conversationKey = (id: string) => ["conversation", id] as const;

export function useConversation(id: string) {
  return useQuery({
    queryKey: conversationKey(id),
    queryFn: () => api.get<Conversation>(`${conversationsPath}/${id}`),
  });
}

/**
 * Idempotency key for a message: retries (after a timeout or a reconnect) reuse it, so nothing is sent twice.
 * randomUUID only exists in secure contexts, and a self-hosted install may be plain http on a LAN address.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Events present the conversation for nobody in particular (unread 0, no customer email); keep what the
 * viewer's own fetch knew of those.
 */
export function mergeConversation(old: Conversation | undefined, fresh: Conversation): Conversation {
  if (!old) return fresh;
  const customer =
    fresh.customer && old.customer?.id === fresh.customer.id
      ? { ...old.customer, ...fresh.customer, email: fresh.customer.email ?? old.customer.email }
      : fresh.customer;
  return { ...fresh, unreadCount: old.unreadCount, customer };
}

function applyRead(client: QueryClient, conversationId: string, userId: string, seq: number) {
  client.setQueryData<Conversation>(conversationKey(conversationId), (old) => {
    if (!old) return old;
    const known = old.participants.some((p) => p.userId === userId);
    const participants = known
      ? old.participants.map((p) =>
          p.userId === userId ? { ...p, lastReadSeq: Math.max(p.lastReadSeq, seq) } : p,
        )
      : [...old.participants, { userId, name: "", role: "observer" as const, lastReadSeq: seq }];
    return { ...old, participants };
  });
}

/**
 * Keeps every cached conversation and list current from socket events. Lists are refetched rather than
 * patched (the server knows filters, order and unread counts); bursts of events cause one refetch.
 */
export function useConversationSync(onMessage?: (message: MessageView) => void): void {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshLists = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: [conversationsPath] });
    }, 250);
  };
  const onConversation = ({ conversation }: { conversation: Conversation }) => {
    client.setQueryData<Conversation>(conversationKey(conversation.id), (old) =>
      mergeConversation(old, conversation),
    );
    refreshLists();
  };
  useSocketEvent("conversation:updated", onConversation);
  useSocketEvent("conversation:assigned", onConversation);
  useSocketEvent("message:new", ({ message }) => {
    client.setQueryData<Conversation>(conversationKey(message.conversationId), (old) =>
      old && message.seq > old.lastSeq
        ? { ...old, lastSeq: message.seq, lastMessageAt: message.createdAt }
        : old,
    );
    refreshLists();
    onMessage?.(message);
  });
  // The waiting customer's place in line; shown only while the conversation is queued.
  useSocketEvent("queue:position", (place) => {
    if (!("conversationId" in place)) return;
    client.setQueryData<Conversation>(conversationKey(place.conversationId), (old) =>
      old ? { ...old, queuePosition: place } : old,
    );
  });
  useSocketEvent("message:read", ({ conversationId, userId, seq }) => {
    applyRead(client, conversationId, userId, seq);
    refreshLists();
  });
}
