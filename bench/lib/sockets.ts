/** Socket.IO clients as the benchmark's load generators open them: authenticated, WebSocket only, no reconnection. */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../src/protocol/events";
import type { ConnectResult } from "./protocol";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const count = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

export function connect(url: string, token: string, timeoutMs: number): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("connect timeout"));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("connect_error", (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/**
 * Connects `total` sockets in batches, each batch in parallel; failures are counted by reason. `sockets[i]` is
 * the i-th socket asked for, or undefined when it failed.
 */
export async function connectMany(
  total: number,
  batch: number,
  open: (i: number) => Promise<ClientSocket>,
): Promise<{ sockets: Array<ClientSocket | undefined>; result: ConnectResult }> {
  const started = performance.now();
  const sockets: Array<ClientSocket | undefined> = [];
  const errors: Record<string, number> = {};
  let connected = 0;
  let failed = 0;
  for (let from = 0; from < total; from += batch) {
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(batch, total - from) }, (_, k) => open(from + k)),
    );
    for (const s of settled) {
      if (s.status === "fulfilled") {
        sockets.push(s.value);
        connected++;
      } else {
        sockets.push(undefined);
        failed++;
        count(errors, s.reason instanceof Error ? s.reason.message : String(s.reason));
      }
    }
  }
  return {
    sockets,
    result: { connected, failed, ms: Math.round(performance.now() - started), errors },
  };
}
