/**
 * The merge rules of a live thread, kept pure so they can be reasoned about apart from React and sockets.
 * The server may deliver a message twice (a join ack and a message:new racing; a reconnect catching up), and
 * a message sent over REST while the socket was down may arrive again later: none of that may show twice.
 */
import type { MessageView } from "../lib/chat";

/** A message typed here that the server has not acknowledged yet. */
export interface PendingMessage {
  clientId: string;
  body: string;
  internal: boolean;
  attachments: MessageView["attachments"];
  status: "sending" | "failed";
  error?: string;
}

export interface ThreadState {
  messages: MessageView[];
  pending: PendingMessage[];
}

export const emptyThread: ThreadState = { messages: [], pending: [] };

/** Messages by seq with duplicates (same id) removed; a pending copy goes once its message is in. */
export function mergeMessages(state: ThreadState, incoming: readonly MessageView[]): ThreadState {
  if (!incoming.length) return state;
  const byId = new Map(state.messages.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    if (byId.has(m.id)) continue;
    byId.set(m.id, m);
    changed = true;
  }
  const arrived = new Set(incoming.map((m) => m.clientId).filter(Boolean));
  const pending = state.pending.filter((p) => !arrived.has(p.clientId));
  if (!changed && pending.length === state.pending.length) return state;
  const messages = changed ? [...byId.values()].sort((a, b) => a.seq - b.seq) : state.messages;
  return { messages, pending };
}

export function addPending(state: ThreadState, pending: PendingMessage): ThreadState {
  const rest = state.pending.filter((p) => p.clientId !== pending.clientId);
  return { ...state, pending: [...rest, pending] };
}

export function failPending(state: ThreadState, clientId: string, error: string): ThreadState {
  return {
    ...state,
    pending: state.pending.map((p) => (p.clientId === clientId ? { ...p, status: "failed", error } : p)),
  };
}

export function dropPending(state: ThreadState, clientId: string): ThreadState {
  return { ...state, pending: state.pending.filter((p) => p.clientId !== clientId) };
}

/**
 * The highest seq the other side has read, for ✓✓ on the viewer's own messages. A customer is read by any
 * staff member; staff are read by the customer.
 */
export function readByOthers(
  marks: ReadonlyMap<string, number>,
  viewerId: string,
  customerId: string | null,
  viewerIsStaff: boolean,
): number {
  if (viewerIsStaff) return customerId ? (marks.get(customerId) ?? 0) : 0;
  let best = 0;
  for (const [userId, seq] of marks) if (userId !== viewerId && seq > best) best = seq;
  return best;
}
