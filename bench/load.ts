/**
 * The load generator: a child process of bench/run.ts (`node --import tsx bench/load.ts`), driven over IPC, so
 * the clients' CPU is not counted as the server's. One instance holds the idle sockets, another runs the chat
 * traffic, another the bare `ws` echo and the PostgreSQL insert loop.
 */
import pg from "pg";
import WebSocket from "ws";
import type { MessageView } from "../src/protocol/events";
import { cpuSecondsOf, cpuSince, postgresCpuByPid } from "./lib/cpu";
import type {
  ConnectResult,
  EchoStepResult,
  InsertResult,
  LoadCommand,
  LoadResults,
  Party,
  StepResult,
  StepSpec,
} from "./lib/protocol";
import { serveRequests } from "./lib/serve";
import { type ClientSocket, connect, connectMany, count } from "./lib/sockets";
import { percentiles, round } from "./lib/stats";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Idle sockets: connected, authenticated, doing nothing but Socket.IO's heartbeats.

const idle: ClientSocket[] = [];
const idleDisconnects: Record<string, number> = {};

async function idleWarmup(url: string, token: string, n: number): Promise<{ ms: number }> {
  const started = performance.now();
  const { sockets } = await connectMany(n, n, () => connect(url, token, 20_000));
  for (const s of sockets) s?.close();
  return { ms: Math.round(performance.now() - started) };
}

async function idleConnect(command: Extract<LoadCommand, { cmd: "idle:connect" }>): Promise<ConnectResult> {
  const { sockets, result } = await connectMany(command.total, command.batch, (i) =>
    connect(command.url, command.tokens[i % command.tokens.length]!, command.timeoutMs),
  );
  for (const s of sockets) {
    if (!s) continue;
    s.on("disconnect", (reason) => count(idleDisconnects, reason));
    idle.push(s);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Chat traffic: each conversation has its customer's socket and its agent's socket joined; messages go both ways.

/** Mirrors the server's per-socket token bucket (40 burst, 20/s) with a margin, so the load is never refused. */
class ClientBucket {
  private tokens = 20;
  private last = performance.now();
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(20, this.tokens + ((now - this.last) / 1000) * 18);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface Member {
  userId: string;
  socket: ClientSocket;
  bucket: ClientBucket;
}

interface Conv {
  id: string;
  customer: Member;
  agent: Member;
}

interface StepState {
  spec: StepSpec;
  start: number;
  end: number;
  attempted: number;
  sent: number;
  acked: number;
  ackedInWindow: number;
  ackErrors: Record<string, number>;
  delivered: number;
  deliveredInWindow: number;
  echoes: number;
  echoesInWindow: number;
  throttled: number;
  inflight: number;
  latencies: number[];
  ackLatencies: number[];
  lagMax: number;
  onAck?: () => void;
}

interface Sent {
  t0: number;
  senderId: string;
  state: StepState;
  acked: boolean;
  ok: boolean;
  delivered: boolean;
  echoed: boolean;
}

const convs: Conv[] = [];
const pending = new Map<string, Sent>();
let cursor = 0;
let sequence = 0;
const body = "Hello, I would like some help with my card please, it was declined at the shop this morning.";

function settle(clientId: string, sent: Sent) {
  if (sent.acked && (!sent.ok || (sent.delivered && sent.echoed))) pending.delete(clientId);
}

function onMessage(member: Member, message: MessageView) {
  if (!message.clientId) return;
  const sent = pending.get(message.clientId);
  if (!sent) return;
  const now = performance.now();
  const inWindow = now <= sent.state.end;
  if (message.sender.id === member.userId) {
    if (sent.echoed) return;
    sent.echoed = true;
    sent.state.echoes++;
    if (inWindow) sent.state.echoesInWindow++;
  } else {
    if (sent.delivered) return;
    sent.delivered = true;
    sent.state.delivered++;
    if (inWindow) sent.state.deliveredInWindow++;
    sent.state.latencies.push(now - sent.t0);
  }
  settle(message.clientId, sent);
}

async function trafficConnect(
  command: Extract<LoadCommand, { cmd: "traffic:connect" }>,
): Promise<LoadResults["traffic:connect"]> {
  const started = performance.now();
  const parties: Party[] = [...command.customers, ...command.agents];
  const { sockets, result } = await connectMany(parties.length, 50, (i) =>
    connect(command.url, parties[i]!.token, command.timeoutMs),
  );
  if (result.failed) return { ...result, joined: 0 };
  const members = new Map<string, Member>();
  parties.forEach((party, i) => {
    const member: Member = { userId: party.userId, socket: sockets[i]!, bucket: new ClientBucket() };
    member.socket.on("message:new", ({ message }) => onMessage(member, message));
    members.set(party.userId, member);
  });
  const byConversation = new Map<string, { customer?: Member; agent?: Member }>();
  for (const [list, role] of [
    [command.customers, "customer"],
    [command.agents, "agent"],
  ] as const) {
    for (const party of list) {
      for (const id of party.conversationIds) {
        const entry = byConversation.get(id) ?? {};
        entry[role] = members.get(party.userId)!;
        byConversation.set(id, entry);
      }
    }
  }
  let joined = 0;
  const joins: Array<{ member: Member; conversationId: string }> = [];
  for (const party of parties)
    for (const conversationId of party.conversationIds)
      joins.push({ member: members.get(party.userId)!, conversationId });
  for (let i = 0; i < joins.length; i += 50) {
    await Promise.all(
      joins.slice(i, i + 50).map(
        ({ member, conversationId }) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("join timeout")), command.timeoutMs);
            member.socket.emit("conversation:join", { conversationId }, (ack) => {
              clearTimeout(timer);
              if (!ack.ok) return reject(new Error(`join refused: ${ack.error.code}`));
              joined++;
              resolve();
            });
          }),
      ),
    );
  }
  for (const [id, entry] of byConversation) {
    if (!entry.customer || !entry.agent) throw new Error(`conversation ${id} lacks a party`);
    convs.push({ id, customer: entry.customer, agent: entry.agent });
  }
  return { ...result, ms: Math.round(performance.now() - started), joined };
}

/** One message from one party of the next conversation (round robin; customer and agent take turns). */
function sendOne(state: StepState): boolean {
  const i = cursor++;
  const conv = convs[i % convs.length]!;
  const customerFirst = (Math.floor(i / convs.length) + i) % 2 === 0;
  let sender = customerFirst ? conv.customer : conv.agent;
  if (!sender.bucket.take()) {
    sender = customerFirst ? conv.agent : conv.customer;
    if (!sender.bucket.take()) {
      state.throttled++;
      return false;
    }
  }
  const clientId = `${state.spec.label}-${sequence++}`;
  const sent: Sent = {
    t0: performance.now(),
    senderId: sender.userId,
    state,
    acked: false,
    ok: false,
    delivered: false,
    echoed: false,
  };
  pending.set(clientId, sent);
  state.sent++;
  state.inflight++;
  sender.socket.emit("message:send", { conversationId: conv.id, body, clientId }, (ack) => {
    const now = performance.now();
    sent.acked = true;
    state.inflight--;
    if (ack.ok) {
      sent.ok = true;
      state.acked++;
      if (now <= state.end) state.ackedInWindow++;
      state.ackLatencies.push(now - sent.t0);
    } else count(state.ackErrors, ack.error.code);
    settle(clientId, sent);
    state.onAck?.();
  });
  return true;
}

async function trafficStep(spec: StepSpec): Promise<StepResult> {
  if (!convs.length) throw new Error("traffic:connect first");
  const start = performance.now();
  const state: StepState = {
    spec,
    start,
    end: start + spec.durationMs,
    attempted: 0,
    sent: 0,
    acked: 0,
    ackedInWindow: 0,
    ackErrors: {},
    delivered: 0,
    deliveredInWindow: 0,
    echoes: 0,
    echoesInWindow: 0,
    throttled: 0,
    inflight: 0,
    latencies: [],
    ackLatencies: [],
    lagMax: 0,
  };
  const rate = spec.rate;
  if (rate !== null) {
    // Open loop: message k is due at start + k/rate, whatever the server's answers; a slow server is not waited for.
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (now >= state.end) return resolve();
        const due = Math.floor(((now - start) / 1000) * rate);
        if (due > state.attempted)
          state.lagMax = Math.max(state.lagMax, now - (start + ((state.attempted + 1) / rate) * 1000));
        while (state.attempted < due) {
          state.attempted++;
          sendOne(state);
        }
        setTimeout(tick, 1);
      };
      tick();
    });
  } else {
    // Closed loop: `window` sends in flight; each acknowledgement (= a committed message) lets the next one go.
    let retry: NodeJS.Timeout | undefined;
    const fill = () => {
      if (performance.now() >= state.end) return;
      while (state.inflight < spec.window) {
        state.attempted++;
        if (!sendOne(state)) {
          retry ??= setTimeout(() => {
            retry = undefined;
            fill();
          }, 5);
          return;
        }
      }
    };
    state.onAck = fill;
    fill();
    await sleep(spec.durationMs);
    state.onAck = undefined;
    clearTimeout(retry);
  }
  // Every send of the step is answered (or the bound is reached) before the next step, so steps do not overlap.
  const drainUntil = performance.now() + spec.drainMs;
  const open = () => {
    if (state.inflight > 0) return true;
    for (const s of pending.values()) if (s.state === state) return true;
    return false;
  };
  while (open() && performance.now() < drainUntil) await sleep(20);
  const drainedMs = Math.round(performance.now() - state.end);
  const unanswered = state.inflight;
  for (const [id, s] of pending) if (s.state === state) pending.delete(id);
  const seconds = spec.durationMs / 1000;
  return {
    label: spec.label,
    offeredRate: spec.rate,
    durationMs: spec.durationMs,
    sent: state.sent,
    acked: state.acked,
    ackErrors: state.ackErrors,
    delivered: state.delivered,
    echoes: state.echoes,
    lost: state.acked - state.delivered,
    throttledLocally: state.throttled,
    sendRate: round(state.sent / seconds, 1),
    ackedPerSec: round(state.ackedInWindow / seconds, 1),
    deliveredPerSec: round(state.deliveredInWindow / seconds, 1),
    socketDeliveriesPerSec: round((state.deliveredInWindow + state.echoesInWindow) / seconds, 1),
    latency: percentiles(state.latencies),
    ackLatency: percentiles(state.ackLatencies),
    schedulerLagMaxMs: round(state.lagMax, 1),
    drainedMs,
    unanswered,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Ceiling 1: a bare `ws` echo server, same client pattern (open loop at a rate, then a closed-loop window).

async function wsEcho(command: Extract<LoadCommand, { cmd: "wsecho:run" }>): Promise<EchoStepResult[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: command.connections },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(command.url, { perMessageDeflate: false });
          const timer = setTimeout(() => reject(new Error("ws connect timeout")), 10_000);
          ws.once("open", () => {
            clearTimeout(timer);
            resolve(ws);
          });
          ws.once("error", reject);
        }),
    ),
  );
  const sentAt = new Map<number, number>();
  let onReply: ((id: number, now: number) => void) | undefined;
  for (const ws of sockets)
    ws.on("message", (data: WebSocket.RawData) => {
      const text = data.toString();
      onReply?.(Number(text.slice(0, text.indexOf("|"))), performance.now());
    });
  const pad = "x".repeat(Math.max(0, command.payloadBytes - 12));
  let next = 0;
  const results: EchoStepResult[] = [];
  try {
    for (const spec of command.steps) {
      const latencies: number[] = [];
      let sent = 0;
      let received = 0;
      let receivedInWindow = 0;
      let inflight = 0;
      const start = performance.now();
      const end = start + spec.durationMs;
      const send = () => {
        const id = next++;
        sentAt.set(id, performance.now());
        sent++;
        inflight++;
        sockets[id % sockets.length]!.send(`${id}|${pad}`);
      };
      let refill: (() => void) | undefined;
      onReply = (id, now) => {
        const t0 = sentAt.get(id);
        if (t0 === undefined) return;
        sentAt.delete(id);
        inflight--;
        received++;
        if (now <= end) receivedInWindow++;
        latencies.push(now - t0);
        refill?.();
      };
      const rate = spec.rate;
      if (rate !== null) {
        let attempted = 0;
        await new Promise<void>((resolve) => {
          const tick = () => {
            const now = performance.now();
            if (now >= end) return resolve();
            const due = Math.floor(((now - start) / 1000) * rate);
            while (attempted < due) {
              attempted++;
              send();
            }
            setTimeout(tick, 1);
          };
          tick();
        });
      } else {
        refill = () => {
          if (performance.now() < end) while (inflight < spec.window) send();
        };
        refill();
        await sleep(spec.durationMs);
        refill = undefined;
      }
      const drainUntil = performance.now() + spec.drainMs;
      while (inflight > 0 && performance.now() < drainUntil) await sleep(10);
      sentAt.clear();
      inflight = 0;
      results.push({
        label: spec.label,
        offeredRate: spec.rate,
        durationMs: spec.durationMs,
        sent,
        received,
        roundTripsPerSec: round(receivedInWindow / (spec.durationMs / 1000), 1),
        latency: percentiles(latencies),
      });
    }
  } finally {
    onReply = undefined;
    for (const ws of sockets) ws.terminate();
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Ceiling 2: single-row INSERTs, each its own transaction (synchronous_commit as configured: on by default).

async function pgInsert(command: Extract<LoadCommand, { cmd: "pg:insert" }>): Promise<InsertResult> {
  const clients = await Promise.all(
    Array.from({ length: command.connections }, async () => {
      const client = new pg.Client({ connectionString: command.url, connectionTimeoutMillis: 10_000 });
      client.on("error", () => {});
      await client.connect();
      return client;
    }),
  );
  // PostgreSQL's CPU for these inserts: the connections' own backends plus the shared processes (WAL writer…).
  const backends = await Promise.all(
    clients.map(async (c) =>
      Number((await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid),
    ),
  );
  const postgresCpu = () => {
    const shared = postgresCpuByPid(undefined);
    for (const pid of backends) shared.set(pid, cpuSecondsOf(pid));
    return shared;
  };
  const cpuBefore = postgresCpu();
  const latencies: number[] = [];
  let rows = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + command.durationMs;
  let postgresCpuPercent = 0;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < end) {
          const t0 = performance.now();
          try {
            await client.query({
              name: "bench-insert",
              text: "insert into bench_ceiling (conversation_id, body) values ($1, $2)",
              values: [rows % 200, body],
            });
            const now = performance.now();
            if (now <= end) rows++;
            latencies.push(now - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    postgresCpuPercent = round(
      (cpuSince(cpuBefore, postgresCpu()) / ((performance.now() - start) / 1000)) * 100,
      1,
    );
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
  return {
    connections: command.connections,
    durationMs: command.durationMs,
    rows,
    rowsPerSec: round(rows / (command.durationMs / 1000), 1),
    errors,
    latency: percentiles(latencies),
    postgresCpuPercent,
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function handle(command: LoadCommand): Promise<unknown> {
  switch (command.cmd) {
    case "idle:warmup":
      return idleWarmup(command.url, command.token, command.count);
    case "idle:connect":
      return idleConnect(command);
    case "idle:status":
      return {
        connected: idle.filter((s) => s.connected).length,
        disconnects: idleDisconnects,
      } satisfies LoadResults["idle:status"];
    case "traffic:connect":
      return trafficConnect(command);
    case "traffic:step":
      return trafficStep(command.step);
    case "wsecho:run":
      return wsEcho(command);
    case "pg:insert":
      return pgInsert(command);
    case "close":
      setTimeout(shutdown, 10);
      return {};
    default:
      throw new Error(`${command.cmd} is not handled by bench/load.ts`);
  }
}

function shutdown() {
  for (const s of idle) s.close();
  for (const c of convs) {
    c.customer.socket.close();
    c.agent.socket.close();
  }
  setTimeout(() => process.exit(0), 50).unref();
}

serveRequests("bench/load.ts", handle);
