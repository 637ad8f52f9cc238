import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { Server, type Socket } from "socket.io";
import {
  type Ack,
  type ClientEventName,
  type ClientToServerEvents,
  clientEvents,
  type ServerToClientEvents,
} from "../../protocol/events";
import { can, isStaff } from "../../protocol/roles";
import type { Deps } from "../lib/deps";
import { HttpError } from "../lib/errors";
import type { App } from "../lib/http";
import { type Actor, runScoped, type Scope } from "../lib/scope";
import { relaySignal } from "../modules/calls/call-signal";
import { loadConversation } from "../modules/conversations/load-conversation";
import { listMessages } from "../modules/messages/list-messages";
import { markRead } from "../modules/messages/mark-read";
import { sendMessage } from "../modules/messages/send-message";
import { Presence } from "./presence";
import { TokenBucket } from "./rate-limit";
import { rooms } from "./rooms";
import { authenticateSocket, type SocketUser, socketError } from "./socket-auth";

/** Plain data only: other server processes receive it (fetchSockets) and connection recovery keeps it. */
interface SocketData {
  user: SocketUser;
}
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const typingEveryMs = 1500;
const floodDisconnectAfter = 200;
const catchUpLimit = 500;

/** Socket.IO on the app's HTTP server: authenticated sockets, rooms by policy, validated events. */
export async function attachSockets(app: App): Promise<Server> {
  const deps = app.deps;
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    app.server,
    {
      path: "/socket.io",
      maxHttpBufferSize: 256 * 1024,
      serveClient: false,
      // No connection-state recovery: a reconnecting client rejoins its conversations with `afterSeq` and reads
      // the current state (queue places, presence) afresh, so nothing needs keeping per event; kept, every event
      // to thousands of waiting customers would stay in memory for the recovery window.
    },
  );
  if (deps.config.redisUrl) {
    const redis = createClient({ url: deps.config.redisUrl });
    redis.on("error", (err) => deps.logger.warn({ err: String(err) }, "redis"));
    await redis.connect();
    io.adapter(createAdapter(redis));
    app.addHook("onClose", async () => {
      await redis.quit().catch(() => {});
    });
  }
  const presence = new Presence(deps, io);

  io.use((socket, next) => {
    authenticateSocket(deps, socket)
      .then((user) => {
        socket.data = { user };
        next();
      })
      .catch((err: Error) => next(err.message ? err : socketError("unauthenticated", "Sign in first.")));
  });

  io.on("connection", (socket) => {
    const { user } = socket.data;
    void socket.join(rooms.user(user.id));
    if (isStaff(user.role)) void socket.join(rooms.tenantStaff(user.tenantId));
    if (can(user.role, "chats.all")) void socket.join(rooms.tenantCallWatch(user.tenantId));
    presence.connected(user);
    socket.on("disconnect", () => presence.disconnected(user));
    register(socket, deps);
  });

  deps.realtime.attach(io as unknown as Parameters<typeof deps.realtime.attach>[0]);
  app.addHook("preClose", async () => {
    presence.stop();
    io.local.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });
  return io;
}

function register(socket: IoSocket, deps: Deps) {
  const { user } = socket.data;
  const bucket = new TokenBucket();
  const typingAt = new Map<string, number>();
  const viewer = { id: user.id, role: user.role, name: user.name };
  const actor: Actor = {
    type: user.tokenId ? "api_token" : "user",
    id: user.id,
    name: user.name,
    role: user.role,
    ip: socket.handshake.address,
    userAgent: socket.handshake.headers["user-agent"]?.slice(0, 500) ?? null,
  };
  const scoped = <T>(fn: (scope: Scope) => Promise<T>) =>
    runScoped(deps.database.db, user.tenantId, actor, fn, deps.services);

  /** Every event: rate-limited, validated, run, answered; a bad one gets an error and changes nothing. */
  function on<E extends ClientEventName>(
    event: E,
    run: (payload: ReturnType<(typeof clientEvents)[E]["parse"]>) => Promise<object>,
  ) {
    (socket.on as (e: string, h: (payload: unknown, ack?: unknown) => void) => void)(
      event,
      (payload, ack) => {
        const reply = (answer: Ack) =>
          typeof ack === "function" ? (ack as (a: Ack) => void)(answer) : undefined;
        if (!bucket.take()) {
          if (bucket.refusals > floodDisconnectAfter) socket.disconnect(true);
          return reply({
            ok: false,
            error: {
              code: "rate_limited",
              message: "Slow down.",
              details: { retryAfterMs: bucket.retryAfterMs() },
            },
          });
        }
        const parsed = clientEvents[event].safeParse(payload);
        if (!parsed.success) {
          const fields = Object.fromEntries(
            parsed.error.issues.map((i) => [i.path.join(".") || "payload", i.message]),
          );
          return reply({
            ok: false,
            error: { code: "validation_failed", message: "The event is not valid.", details: { fields } },
          });
        }
        run(parsed.data as ReturnType<(typeof clientEvents)[E]["parse"]>)
          .then((result) => reply({ ok: true, ...result }))
          .catch((err: unknown) => {
            if (err instanceof HttpError)
              return reply({
                ok: false,
                error: {
                  code: err.code,
                  message: err.message,
                  ...(err.details ? { details: err.details } : {}),
                },
              });
            deps.logger.error({ err, event }, "socket event failed");
            reply({ ok: false, error: { code: "internal", message: "Something went wrong on our side." } });
          });
      },
    );
  }

  on("conversation:join", async ({ conversationId, afterSeq }) =>
    scoped(async (scope) => {
      const { row } = await loadConversation(scope, viewer, conversationId);
      // Join first, then read: anything committed after the read arrives as an event; clients drop seqs they have.
      await socket.join(rooms.conversation(row.id));
      if (isStaff(user.role)) await socket.join(rooms.conversationStaff(row.id));
      const page = await listMessages(
        scope,
        viewer,
        row.id,
        afterSeq === undefined ? { limit: 50 } : { after: afterSeq, limit: catchUpLimit },
      );
      return { messages: page.items, lastSeq: row.lastSeq, hasMore: page.hasMore };
    }),
  );

  on("conversation:leave", async ({ conversationId }) => {
    await socket.leave(rooms.conversation(conversationId));
    await socket.leave(rooms.conversationStaff(conversationId));
    return {};
  });

  on("message:send", async (payload) => scoped((scope) => sendMessage(scope, viewer, payload)));

  on("call:signal", async (signal) => scoped((scope) => relaySignal(scope, user.id, signal)));

  on("message:read", async ({ conversationId, seq }) => ({
    seq: await scoped((scope) => markRead(scope, viewer, conversationId, seq)),
  }));

  const typing =
    (isTyping: boolean) =>
    async ({ conversationId }: { conversationId: string }) => {
      if (!socket.rooms.has(rooms.conversation(conversationId)))
        throw new HttpError(404, "not_found", "Join the conversation first.");
      const last = typingAt.get(conversationId) ?? 0;
      // Typing is throttled and never stored: at most one "started" every 1.5 s per conversation.
      if (isTyping && Date.now() - last < typingEveryMs) return {};
      typingAt.set(conversationId, isTyping ? Date.now() : 0);
      socket
        .to(rooms.conversation(conversationId))
        .emit("typing", { conversationId, userId: user.id, name: user.name, isTyping });
      return {};
    };
  on("typing:start", typing(true));
  on("typing:stop", typing(false));
}
