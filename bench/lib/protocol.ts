import type { Percentiles } from "./stats";

/** A signed-in person of the traffic phase: one socket, joined to these conversations. */
export interface Party {
  userId: string;
  token: string;
  conversationIds: string[];
}

export interface ConnectResult {
  connected: number;
  failed: number;
  ms: number;
  errors: Record<string, number>;
}

export interface StepSpec {
  label: string;
  /** Messages per second offered (open loop); null = saturation: as fast as acks allow within `window`. */
  rate: number | null;
  durationMs: number;
  /** Saturation only: sends in flight (emitted, not yet acknowledged) at most. */
  window: number;
  /** After the step: at most how long to wait for its last answers and deliveries. */
  drainMs: number;
}

export interface StepResult {
  label: string;
  offeredRate: number | null;
  durationMs: number;
  sent: number;
  acked: number;
  ackErrors: Record<string, number>;
  /** Deliveries of message:new to the other party of the conversation (what latency is measured on). */
  delivered: number;
  /** The sender's own socket hearing its message back (every room member gets message:new). */
  echoes: number;
  lost: number;
  /** Sends skipped because both parties' sockets would have exceeded the server's per-socket rate limit. */
  throttledLocally: number;
  sendRate: number;
  ackedPerSec: number;
  deliveredPerSec: number;
  socketDeliveriesPerSec: number;
  latency: Percentiles;
  ackLatency: Percentiles;
  /** How late the open-loop scheduler fired at worst: the load generator's own lag. */
  schedulerLagMaxMs: number;
  /** How long after the step's end its last answers and deliveries took to arrive. */
  drainedMs: number;
  /** Sends still unanswered when the drain bound was reached (the server was still working through a backlog). */
  unanswered: number;
}

export interface EchoStepResult {
  label: string;
  offeredRate: number | null;
  durationMs: number;
  sent: number;
  received: number;
  roundTripsPerSec: number;
  latency: Percentiles;
}

export interface InsertResult {
  connections: number;
  durationMs: number;
  rows: number;
  rowsPerSec: number;
  errors: number;
  latency: Percentiles;
  /** PostgreSQL's CPU for the inserts (its backends and shared processes), percent of one core. */
  postgresCpuPercent: number;
}

/** A waiting customer of the queue stage: one socket, listening for one queued chat's place in line. */
export interface WaitingCustomer {
  userId: string;
  token: string;
  conversationId: string;
}

/** What the sockets of one load generator heard after one change to the queue. */
export interface QueueCollectResult {
  /** Waiting customers this generator was told to expect a new place for. */
  expected: number;
  /** Per customer that got it: when the first queue:position with the new place arrived (the generator's clock). */
  arrivals: number[];
  /** Expected customers with no such update within the time allowed. */
  missing: number;
  /** Expected customers whose first update after the change named another place (stale, or wrong). */
  otherPlaceFirst: number;
  /** queue:position events received since the generator was armed, all sockets. */
  received: number;
  /** The generator's own event-loop delay meanwhile: large values mean it timestamped late. */
  loopDelay: { p99Ms: number; maxMs: number };
  waitedMs: number;
}

export type LoadCommand =
  | { cmd: "idle:warmup"; url: string; token: string; count: number }
  | { cmd: "idle:connect"; url: string; tokens: string[]; total: number; batch: number; timeoutMs: number }
  | { cmd: "idle:status" }
  | { cmd: "traffic:connect"; url: string; customers: Party[]; agents: Party[]; timeoutMs: number }
  | { cmd: "traffic:step"; step: StepSpec }
  | { cmd: "wsecho:run"; url: string; connections: number; payloadBytes: number; steps: StepSpec[] }
  | { cmd: "pg:insert"; url: string; connections: number; durationMs: number }
  | { cmd: "clock" }
  | { cmd: "queue:connect"; url: string; customers: WaitingCustomer[]; batch: number; timeoutMs: number }
  | { cmd: "queue:arm" }
  | { cmd: "queue:collect"; expected: Array<[conversationId: string, position: number]>; timeoutMs: number }
  | { cmd: "queue:status" }
  | { cmd: "close" };

export interface LoadResults {
  "idle:warmup": { ms: number };
  "idle:connect": ConnectResult;
  "idle:status": { connected: number; disconnects: Record<string, number> };
  "traffic:connect": ConnectResult & { joined: number };
  "traffic:step": StepResult;
  "wsecho:run": EchoStepResult[];
  "pg:insert": InsertResult;
  /** The generator's clock: performance.timeOrigin + performance.now(), in ms. */
  clock: { now: number };
  "queue:connect": ConnectResult;
  "queue:arm": Record<string, never>;
  "queue:collect": QueueCollectResult;
  "queue:status": { connected: number; disconnects: Record<string, number>; positionsReceived: number };
  close: Record<string, never>;
}

export type CommandName = LoadCommand["cmd"];

export type Request = LoadCommand & { id: number };
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
