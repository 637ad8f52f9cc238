/** Typing indicators both ways: who else is typing here, and telling the others when we are. */
import { useCallback, useEffect, useRef, useState } from "react";
import { type ChatSocket, useSocketEvent } from "../lib/socket";

/** The server passes at most one "started" per 1.5 s; repeating every 2 s keeps the other side's timer alive. */
const repeatStartMs = 2_000;
const idleStopMs = 3_000;
/** A "stopped" can be lost with a dropped connection; an indicator never outlives this without news. */
const staleMs = 6_000;

export function useTypers(conversationId: string, viewerId: string): string[] {
  const [typers, setTypers] = useState<ReadonlyMap<string, string>>(new Map());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const remove = useCallback((userId: string) => {
    clearTimeout(timers.current.get(userId));
    timers.current.delete(userId);
    setTypers((old) => {
      if (!old.has(userId)) return old;
      const next = new Map(old);
      next.delete(userId);
      return next;
    });
  }, []);

  useSocketEvent("typing", (e) => {
    if (e.conversationId !== conversationId || e.userId === viewerId) return;
    if (!e.isTyping) return remove(e.userId);
    clearTimeout(timers.current.get(e.userId));
    timers.current.set(
      e.userId,
      setTimeout(() => remove(e.userId), staleMs),
    );
    setTypers((old) => (old.get(e.userId) === e.name ? old : new Map(old).set(e.userId, e.name)));
  });
  // Whoever just sent a message has stopped typing it.
  useSocketEvent("message:new", ({ message }) => {
    if (message.conversationId === conversationId && message.sender.id) remove(message.sender.id);
  });

  useEffect(() => {
    const all = timers.current;
    return () => {
      for (const t of all.values()) clearTimeout(t);
      all.clear();
    };
  }, []);
  return [...typers.values()];
}

/** Call `typing()` on each keystroke and `stop()` on send; start/stop events are throttled here. */
export function useTypingEmitter(socket: ChatSocket | null, conversationId: string) {
  const lastStart = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    if (!lastStart.current) return;
    lastStart.current = 0;
    if (socket?.connected) socket.emit("typing:stop", { conversationId }, () => {});
  }, [socket, conversationId]);

  const typing = useCallback(() => {
    if (!socket?.connected) return;
    const now = Date.now();
    if (now - lastStart.current >= repeatStartMs) {
      lastStart.current = now;
      socket.emit("typing:start", { conversationId }, () => {});
    }
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(stop, idleStopMs);
  }, [socket, conversationId, stop]);

  useEffect(() => stop, [stop]);
  return { typing, stop };
}

/** "Sarah is typing…", "Sarah and Mike are typing…": first names, as people say them. */
export function typingSentence(names: readonly string[]): string | null {
  const first = names.map((n) => n.split(/\s+/)[0] || n);
  if (!first.length) return null;
  if (first.length === 1) return `${first[0]} is typing…`;
  return `${first.slice(0, -1).join(", ")} and ${first.at(-1)} are typing…`;
}
