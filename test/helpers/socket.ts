import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../src/protocol/events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client, connected (or rejected) before the promise settles. */
export function connectSocket(
  url: string,
  auth: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...extra,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an acknowledgement and resolves with the server's answer. */
export function request<T extends object = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> {
  return new Promise((resolve) => {
    (socket.emit as (e: string, p: unknown, ack: (a: Ack<T>) => void) => void)(event, payload, resolve);
  });
}

/** As a well-behaved client does: a request refused for its rate waits as told and is retried, as it was. */
export async function requestPaced<T extends object = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> {
  for (;;) {
    const answer = await request<T>(socket, event, payload);
    if (answer.ok || answer.error.code !== "rate_limited") return answer;
    const wait = Number(answer.error.details?.retryAfterMs ?? 50);
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Collects every payload of an event, to assert on later. */
export function record<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Array<Parameters<ServerToClientEvents[E]>[0]> {
  const seen: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  (socket.on as (e: string, h: (p: Parameters<ServerToClientEvents[E]>[0]) => void) => void)(
    event,
    (payload) => seen.push(payload),
  );
  return seen;
}

/** Resolves with the first payload of `event` that matches, or rejects after `ms`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      (socket.off as (e: string, h: unknown) => void)(event, handler);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      (socket.off as (e: string, h: unknown) => void)(event, handler);
      resolve(payload);
    };
    (socket.on as (e: string, h: typeof handler) => void)(event, handler);
  });
}

/** Lets in-flight events arrive, for assertions that something did NOT happen. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
