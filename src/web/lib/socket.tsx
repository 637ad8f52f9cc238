/**
 * One Socket.IO connection per signed-in screen (portal, console or widget), shared through context.
 * Types come from src/protocol/events.ts (type-only, so zod stays out of the bundle).
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../protocol/events";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvent = keyof ServerToClientEvents;
type ClientEvent = keyof ClientToServerEvents;
type Payload<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

const SocketContext = createContext<ChatSocket | null>(null);
const ackTimeoutMs = 10_000;

/**
 * Without a token the browser's session cookie authenticates (same origin); the widget passes its visitor
 * token. WebSocket only: long-polling would need sticky sessions behind a load balancer.
 *
 * Announcements sent while the connection was away are lost, so each time it comes back every query on screen
 * is asked afresh (statuses, inboxes, queues, calls); threads catch up on their messages by sequence number
 * themselves. The first connection happens as the page loads, when everything is fetched anyway.
 */
export function SocketProvider({ token, children }: { token?: string; children: ReactNode }) {
  const client = useQueryClient();
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  useEffect(() => {
    const s: ChatSocket = io({ transports: ["websocket"], ...(token ? { auth: { token } } : {}) });
    let connectedBefore = false;
    s.on("connect", () => {
      if (connectedBefore) void client.invalidateQueries();
      connectedBefore = true;
    });
    setSocket(s);
    return () => {
      s.disconnect();
      setSocket(null);
    };
  }, [token, client]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/** Null until the provider has created its socket (the first render) or outside any provider. */
export function useSocket(): ChatSocket | null {
  return useContext(SocketContext);
}

/** Subscribes for the component's lifetime; the latest handler is always called, without resubscribing. */
export function useSocketEvent<E extends ServerEvent>(event: E, handler: ServerToClientEvents[E]): void {
  const socket = useSocket();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) =>
      (ref.current as (...a: typeof args) => void)(...args)) as ServerToClientEvents[E];
    // socket.io's typed on/off need a concrete event name; the cast keeps the pairing of name and handler.
    const on = socket.on as (e: E, l: ServerToClientEvents[E]) => void;
    const off = socket.off as (e: E, l: ServerToClientEvents[E]) => void;
    on.call(socket, event, listener);
    return () => {
      off.call(socket, event, listener);
    };
  }, [socket, event]);
}

/** Whether the socket is connected now, for a "reconnecting…" notice. */
export function useConnected(): boolean {
  const socket = useSocket();
  const [connected, setConnected] = useState(socket?.connected ?? false);
  useEffect(() => {
    if (!socket) return;
    setConnected(socket.connected);
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    socket.on("connect", up);
    socket.on("disconnect", down);
    return () => {
      socket.off("connect", up);
      socket.off("disconnect", down);
    };
  }, [socket]);
  return connected;
}

/** An event with an acknowledgement as a promise; a lost connection or silent server ends in a failed Ack. */
export async function emitAck<E extends ClientEvent>(
  socket: ChatSocket,
  event: E,
  payload: Payload<E>,
): Promise<AckOf<E>> {
  const timed = socket.timeout(ackTimeoutMs);
  // The generic signature of emitWithAck cannot be narrowed by TypeScript from a generic event name.
  const emit = timed.emitWithAck as (e: E, p: Payload<E>) => Promise<AckOf<E>>;
  try {
    return await emit.call(timed, event, payload);
  } catch {
    const failed: Ack = { ok: false, error: { code: "timeout", message: "No answer from the server." } };
    return failed as AckOf<E>;
  }
}
