/**
 * A live thread: join over the socket, merge what arrives, catch up after a reconnect, mark read, send with
 * an idempotency key (socket first, REST when the socket is down).
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { api, errorMessage, type Query } from "../lib/api";
import { type Attachment, conversationsPath, type MessageView, newClientId } from "../lib/chat";
import { emitAck, useSocket, useSocketEvent } from "../lib/socket";
import type { Page } from "../lib/types";
import {
  addPending,
  dropPending,
  emptyThread,
  failPending,
  mergeMessages,
  type PendingMessage,
  type ThreadState,
} from "./thread-state";

function subscribeVisibility(onChange: () => void) {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}
const isVisible = () => document.visibilityState === "visible";

export function useThread(conversationId: string) {
  const socket = useSocket();
  const [state, setState] = useState<ThreadState>(emptyThread);
  const [loaded, setLoaded] = useState(false);
  const [olderExist, setOlderExist] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);
  /** Everything up to here has been delivered by the socket; a reconnect asks for what comes after. */
  const highest = useRef(0);
  const joinedOnce = useRef(false);
  const readSent = useRef(0);
  const visible = useSyncExternalStore(subscribeVisibility, isVisible);

  const merge = useCallback((incoming: readonly MessageView[]) => {
    setState((s) => mergeMessages(s, incoming));
  }, []);

  useEffect(() => {
    setState(emptyThread);
    setLoaded(false);
    setOlderExist(false);
    setJoinError(null);
    highest.current = 0;
    joinedOnce.current = false;
    readSent.current = 0;
    if (!socket) return;
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const join = async () => {
      clearTimeout(retry);
      const ack = await emitAck(socket, "conversation:join", {
        conversationId,
        ...(joinedOnce.current ? { afterSeq: highest.current } : {}),
      });
      if (!live) return;
      if (!ack.ok) {
        // A timeout is retried (by the next "connect" if the connection went, else shortly); anything else
        // (not found, no longer visible) is final.
        if (ack.error.code !== "timeout") setJoinError(ack.error.message);
        else if (socket.connected) retry = setTimeout(join, 2_000);
        return;
      }
      if (!joinedOnce.current) setOlderExist(ack.hasMore);
      joinedOnce.current = true;
      const top = ack.messages.reduce((max, m) => Math.max(max, m.seq), ack.lastSeq);
      highest.current = Math.max(highest.current, top);
      merge(ack.messages);
      setLoaded(true);
    };
    if (socket.connected) void join();
    socket.on("connect", join);
    return () => {
      live = false;
      clearTimeout(retry);
      socket.off("connect", join);
      if (socket.connected) socket.emit("conversation:leave", { conversationId }, () => {});
    };
  }, [socket, conversationId, merge]);

  // Taken even before the join's ack: one committed just after the server read the history for the ack is
  // in no ack, only here. At or below `highest` it is a repeat of something already delivered.
  useSocketEvent("message:new", ({ message }) => {
    if (message.conversationId !== conversationId || message.seq <= highest.current) return;
    highest.current = message.seq;
    merge([message]);
  });

  // Reading happens when the thread is on screen: a hidden tab leaves messages unread (and alerts instead).
  useEffect(() => {
    if (!socket?.connected || !loaded || !visible || highest.current <= readSent.current) return;
    const seq = highest.current;
    readSent.current = seq;
    void emitAck(socket, "message:read", { conversationId, seq }).then((ack) => {
      if (!ack.ok && readSent.current === seq) readSent.current = 0;
    });
  }, [socket, conversationId, loaded, visible, state.messages]);

  const deliver = useCallback(
    async (p: PendingMessage) => {
      setState((s) => addPending(s, { ...p, status: "sending" }));
      const body = {
        body: p.body,
        clientId: p.clientId,
        ...(p.internal ? { internal: true } : {}),
        ...(p.attachments.length ? { attachmentIds: p.attachments.map((a) => a.id) } : {}),
      };
      if (socket?.connected) {
        const ack = await emitAck(socket, "message:send", { conversationId, ...body });
        if (ack.ok) return merge([ack.message]);
        if (ack.error.code !== "timeout") {
          return setState((s) => failPending(s, p.clientId, ack.error.message));
        }
      }
      try {
        // Same clientId: if the socket attempt did land after all, the server returns that message.
        const message = await api.post<MessageView>(`${conversationsPath}/${conversationId}/messages`, body);
        merge([message]);
      } catch (err) {
        setState((s) => failPending(s, p.clientId, errorMessage(err)));
      }
    },
    [socket, conversationId, merge],
  );

  const send = useCallback(
    (text: string, attachments: Attachment[] = [], internal = false) =>
      deliver({ clientId: newClientId(), body: text, attachments, internal, status: "sending" }),
    [deliver],
  );
  const retry = useCallback((p: PendingMessage) => deliver(p), [deliver]);
  const discard = useCallback((clientId: string) => setState((s) => dropPending(s, clientId)), []);

  const loadOlder = useCallback(async () => {
    const first = state.messages[0];
    if (!first) return;
    const query: Query = { before: first.seq, limit: 50 };
    const page = await api.get<Page<MessageView>>(`${conversationsPath}/${conversationId}/messages`, query);
    merge(page.items);
    setOlderExist(page.nextCursor !== null);
  }, [state.messages, conversationId, merge]);

  return { ...state, loaded, olderExist, joinError, send, retry, discard, loadOlder };
}
