/**
 * `npm run bench`: the live-chat benchmark. Starts the real server on a fresh PostgreSQL database, drives it with
 * real Socket.IO clients from separate processes (bench/load.ts), then runs the queue stage on another fresh
 * database and server (bench/queue.ts, bench/queue-clients.ts), measures the machine's own ceilings (a bare `ws`
 * echo, single-row durable INSERTs), writes bench/results/<date>.json and .svg and prints a summary. Loopback only,
 * bounded in time, and it stops every process it started, and drops its databases, whatever happens.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type CallsResult, callsStage, callsSummary, callsVerdicts } from "./calls";
import { Api, mapLimit } from "./lib/api";
import { renderChart, renderQueueChart } from "./lib/chart";
import { LoadChild, started, stopProcess } from "./lib/child";
import { type CpuShares, cpuMeter, machineCpuSeconds } from "./lib/cpu";
import { collectAndMeasure, type ProfileSummary, profileServer, type ServerMemory } from "./lib/inspector";
import type { ConnectResult, EchoStepResult, InsertResult, Party, StepResult } from "./lib/protocol";
import { type BenchServer, fdCount, metricsOf, root, rssOf, startServer } from "./lib/server";
import { round, table } from "./lib/stats";
import {
  type QueueConfig,
  type QueueResult,
  queueChartInput,
  queueStage,
  queueSummary,
  queueTarget,
  queueVerdict,
} from "./queue";
import {
  type TicketsConfig,
  type TicketsResult,
  ticketsStage,
  ticketsSummary,
  ticketsVerdicts,
} from "./tickets";

const env = process.env;
const quick = env.BENCH_QUICK === "1";
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
/**
 * BENCH_ONLY=queue runs the queue stage alone; BENCH_ONLY=chat everything but it; BENCH_ONLY=tickets the tickets
 * stage alone, on the database `npm run bench:fill` filled (never part of the default run: the fill takes a while);
 * BENCH_ONLY=calls the browser calls stage alone (bench/calls.ts; never part of the default run either).
 */
const only = ["queue", "chat", "tickets", "calls"].includes(env.BENCH_ONLY ?? "")
  ? (env.BENCH_ONLY as "queue" | "chat" | "tickets" | "calls")
  : undefined;
if (env.BENCH_ONLY && !only) {
  process.stderr.write(`BENCH_ONLY must be queue, chat, tickets or calls, not ${env.BENCH_ONLY}\n`);
  process.exit(2);
}
/** The tickets stage stops starting new kinds of request past this. */
const ticketsStageLimitMs = num("BENCH_TICKETS_LIMIT_S", 20 * 60) * 1000;
/** The queue stage stops by itself past this: 10,000 chats take a few minutes to start through the API. */
const queueStageLimitMs = num("BENCH_QUEUE_LIMIT_S", quick ? 4 * 60 : 10 * 60) * 1000;

/** What the run does; BENCH_* variables shrink it for a quick try (BENCH_QUICK=1). */
const config = {
  idleSockets: num("BENCH_SOCKETS", quick ? 1000 : 5000),
  idleCustomers: num("BENCH_IDLE_CUSTOMERS", quick ? 5 : 25),
  connectBatch: 200,
  conversations: num("BENCH_CONVERSATIONS", quick ? 40 : 200),
  agents: num("BENCH_AGENTS", quick ? 10 : 50),
  rates: (env.BENCH_RATES ?? (quick ? "100,250,500" : "100,250,500,1000,1500")).split(",").map(Number),
  stepMs: num("BENCH_STEP_MS", quick ? 5000 : 15_000),
  warmupMs: quick ? 2000 : 5000,
  saturationMs: num("BENCH_SATURATION_MS", quick ? 5000 : 15_000),
  saturationWindow: num("BENCH_WINDOW", 64),
  /** At most this long after a step for its last answers: a step never overlaps the next. */
  drainMs: 45_000,
  /** Waits up to this long at the start for other work on the machine to calm down. */
  waitQuietMs: num("BENCH_WAIT_QUIET_S", 60) * 1000,
  echoConnections: 200,
  echoPayloadBytes: 400,
  echoRate: 1000,
  echoMs: quick ? 3000 : 5000,
  echoSaturationMs: quick ? 3000 : 10_000,
  insertMs: quick ? 3000 : 10_000,
  insertConnections: [1, 8],
  password: "bench-password-1",
  queue: {
    customers: num("BENCH_QUEUE_CUSTOMERS", quick ? 1000 : queueTarget.customers),
    setup: env.BENCH_QUEUE_SETUP === "direct" ? "direct" : "handback",
    children: num("BENCH_QUEUE_CHILDREN", 3),
    agents: 3,
    maxChats: 5,
    resolvesPerAgent: 2,
    createConcurrency: num("BENCH_QUEUE_CONCURRENCY", 8),
    handbackConcurrency: 4,
    connectBatch: 100,
    connectTimeoutMs: 60_000,
    updateTimeoutMs: 15_000,
    pauseMs: 1500,
    password: "bench-password-1",
    stageLimitMs: queueStageLimitMs,
  } satisfies QueueConfig,
  tickets: {
    requests: num("BENCH_TICKETS_REQUESTS", quick ? 300 : 2000),
    warmup: quick ? 50 : 200,
    concurrency: num("BENCH_TICKETS_CONCURRENCY", 4),
    rounds: quick ? 1 : 4,
    tenants: env.BENCH_TICKETS_TENANTS ? env.BENCH_TICKETS_TENANTS.split(",") : [],
    stageLimitMs: ticketsStageLimitMs,
  } satisfies TicketsConfig,
  /** The whole run's limit; past it everything is stopped. */
  /** BENCH_ONLY=calls: calls per mode (direct, relay-only) and the getStats() poll interval in the pages. */
  calls: { calls: num("BENCH_CALLS", quick ? 5 : 20), pollMs: num("BENCH_CALLS_POLL_MS", 10) },
  hardLimitMs:
    only === "calls"
      ? 10 * 60_000
      : only === "tickets"
        ? ticketsStageLimitMs + 3 * 60_000
        : (only === "queue" ? 0 : 9 * 60_000) + (only === "chat" ? 0 : queueStageLimitMs + 60_000),
};

const targets = {
  sockets: 5000,
  sustainedRate: 1000,
  p99Ms: 50,
  durablePerSec: 2000,
  /** 20 KB per idle socket, read as KiB. */
  bytesPerSocket: 20 * 1024,
};

const adminUrl = env.BENCH_PG_URL ?? env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const withDatabase = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};
async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (s: string) =>
  process.stdout.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${s}\n`);
const t0 = performance.now();

/** The chat stages' database (its PostgreSQL backends are what the CPU figures count as PostgreSQL's). */
let dbName: string | undefined;
/** Every database and data folder this run created. */
const databases: string[] = [];
const dataDirs: string[] = [];
let cleaning: Promise<void> | undefined;

/** Stops every process this run started (by its own handle, nothing else) and drops the run's databases. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled([...started].map((p) => p.stop()));
    for (const name of databases) {
      if (env.BENCH_KEEP_DB === "1") {
        process.stderr.write(`bench: kept database ${name} (drop it yourself)\n`);
        continue;
      }
      await admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).catch((err) =>
        process.stderr.write(`could not drop database ${name}: ${String(err)}\n`),
      );
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}

type Counters = Record<string, number>;

/** Cumulative statistics of the run's database: transactions, rows and scans, overall and per table. */
async function postgresStats(databaseUrl: string): Promise<Counters> {
  return admin(databaseUrl, async (c) => {
    const out: Counters = {};
    const db = await c.query<Record<string, string>>(
      `select sessions, xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, blks_read, blks_hit
         from pg_stat_database where datname = current_database()`,
    );
    for (const [k, v] of Object.entries(db.rows[0] ?? {})) out[k] = Number(v);
    // System catalogs too: planning that misses PostgreSQL's caches reads them.
    const tables = await c.query<Record<string, string>>(
      `select relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_ins, n_tup_upd
         from pg_stat_all_tables where schemaname in ('public', 'pg_catalog')`,
    );
    for (const row of tables.rows)
      for (const k of ["seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch", "n_tup_ins", "n_tup_upd"])
        out[`${row.relname}.${k}`] = Number(row[k] ?? 0);
    return out;
  });
}

/** What the traffic cost the database: totals, and per acknowledged message (joins and presence included). */
function perMessage(before: Counters, after: Counters, messages: number) {
  const totals: Counters = {};
  const each: Counters = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d <= 0) continue;
    totals[k] = d;
    each[k] = round(d / Math.max(messages, 1), 3);
  }
  return { messages, totals, perMessage: each };
}

interface SetupResult {
  signupsMs: number;
  agentsMs: number;
  conversationsMs: number;
  customers: Party[];
  agents: Party[];
  idleTokens: string[];
}

/** People and conversations through the API: customers sign up, the admin adds agents, agents start chats. */
async function setup(api: Api): Promise<SetupResult> {
  const adminToken = (await api.login("admin@acme.test", "demo-password-1")).token;
  // Signing up is argon2 hashing (~50 ms of CPU each): the idle sockets share a few customers' sessions instead.
  let t = performance.now();
  const idleCustomers = await mapLimit(
    Array.from({ length: config.idleCustomers }, (_, i) => i),
    4,
    (i) => api.signup(`bench-idle-${i}@acme.test`, `Idle Customer ${i}`, config.password),
  );
  const chatCustomers = await mapLimit(
    Array.from({ length: config.conversations }, (_, i) => i),
    4,
    (i) => api.signup(`bench-customer-${i}@acme.test`, `Customer ${i}`, config.password),
  );
  const signupsMs = performance.now() - t;
  t = performance.now();
  const agents = await mapLimit(
    Array.from({ length: config.agents }, (_, i) => i),
    4,
    async (i) => {
      const email = `bench-agent-${i}@acme.test`;
      await api.createAgent(adminToken, email, `Agent ${i}`, config.password);
      return api.login(email, config.password);
    },
  );
  const agentsMs = performance.now() - t;
  t = performance.now();
  const agentParties: Party[] = agents.map((a) => ({
    userId: a.user.id,
    token: a.token,
    conversationIds: [],
  }));
  const customerParties: Party[] = await mapLimit(chatCustomers, 8, async (c, i) => {
    const agent = agentParties[i % agentParties.length]!;
    const conversation = await api.startSupportChat(agent.token, c.user.id);
    agent.conversationIds.push(conversation.id);
    return { userId: c.user.id, token: c.token, conversationIds: [conversation.id] };
  });
  return {
    signupsMs: Math.round(signupsMs),
    agentsMs: Math.round(agentsMs),
    conversationsMs: Math.round(performance.now() - t),
    customers: customerParties,
    agents: agentParties,
    idleTokens: idleCustomers.map((c) => c.token),
  };
}

type Snapshot = ServerMemory & { rssProc: number; fds: number; sockets: number };

interface PerSocket {
  rssBytes: number;
  heapUsedBytes: number;
  heapAndExternalBytes: number;
}

interface IdleResult {
  warmupMs: number;
  connect: ConnectResult;
  /** Before any idle socket, at the first tranche, and with all of them. */
  snapshots: Snapshot[];
  /** (all − baseline) / sockets. */
  perSocket: PerSocket;
  /** (all − first tranche) / sockets added: what one more socket costs, free of start-up effects. */
  perSocketMarginal: PerSocket;
  stillConnectedAfterTraffic?: number;
  disconnects?: Record<string, number>;
}

const perSocketBetween = (a: Snapshot, b: Snapshot): PerSocket => {
  const n = Math.max(b.sockets - a.sockets, 1);
  return {
    rssBytes: Math.round((b.rssProc - a.rssProc) / n),
    heapUsedBytes: Math.round((b.heapUsed - a.heapUsed) / n),
    heapAndExternalBytes: Math.round((b.heapUsed + b.external - a.heapUsed - a.external) / n),
  };
};

/** The larger of the RSS and heap figures: RSS can grow less than the heap when freed pages get reused. */
const socketCost = (p: PerSocket) => Math.max(p.rssBytes, p.heapAndExternalBytes);

async function idlePhase(server: BenchServer, idleChild: LoadChild, tokens: string[]): Promise<IdleResult> {
  // Warm-up: the first sockets load and compile the connection path; they are closed before the baseline.
  const warm = await idleChild.request(
    { cmd: "idle:warmup", url: server.url, token: tokens[0]!, count: 200 },
    60_000,
  );
  await sleep(2000);
  let sockets = 0;
  const measure = async (): Promise<Snapshot> => ({
    ...(await collectAndMeasure(server.inspectorPort)),
    rssProc: rssOf(server.pid),
    fds: fdCount(server.pid),
    sockets,
  });
  const snapshots = [await measure()];
  log(
    `idle: baseline rss ${(snapshots[0]!.rssProc / 2 ** 20).toFixed(1)} MiB, heap ${(snapshots[0]!.heapUsed / 2 ** 20).toFixed(1)} MiB`,
  );
  const first = Math.round(config.idleSockets / 5);
  const connect: ConnectResult = { connected: 0, failed: 0, ms: 0, errors: {} };
  for (const total of [first, config.idleSockets - first]) {
    const r = await idleChild.request(
      {
        cmd: "idle:connect",
        url: server.url,
        tokens,
        total,
        batch: config.connectBatch,
        timeoutMs: 30_000,
      },
      240_000,
    );
    connect.connected += r.connected;
    connect.failed += r.failed;
    connect.ms += r.ms;
    for (const [k, v] of Object.entries(r.errors)) connect.errors[k] = (connect.errors[k] ?? 0) + v;
    sockets = connect.connected;
    await sleep(3000);
    snapshots.push(await measure());
    log(
      `idle: ${sockets} sockets connected (${connect.failed} failed), ${connect.ms} ms of connecting so far`,
    );
  }
  const [base, tranche, all] = snapshots as [Snapshot, Snapshot, Snapshot];
  return {
    warmupMs: warm.ms,
    connect,
    snapshots,
    perSocket: perSocketBetween(base, all),
    perSocketMarginal: perSocketBetween(tranche, all),
  };
}

/** A step the server did not keep up with: higher rates would only measure a growing queue. */
const overloaded = (s: StepResult) =>
  s.offeredRate !== null && (s.ackedPerSec < s.offeredRate * 0.9 || s.unanswered > 0);

type MeasuredStep = StepResult & {
  cpu: CpuShares;
  serverProfile?: ProfileSummary | { error: string };
  serverEventLoop: { p99Ms: number; maxMs: number; meanMs: number };
};

async function trafficPhase(
  server: BenchServer,
  trafficChild: LoadChild,
  idleChild: LoadChild,
  people: SetupResult,
): Promise<{
  connect: ConnectResult & { joined: number };
  warmup: StepResult;
  steps: MeasuredStep[];
  skippedRates: number[];
  saturation: MeasuredStep;
}> {
  const connect = await trafficChild.request(
    {
      cmd: "traffic:connect",
      url: server.url,
      customers: people.customers,
      agents: people.agents,
      timeoutMs: 30_000,
    },
    120_000,
  );
  if (connect.failed) throw new Error(`traffic sockets failed to connect: ${JSON.stringify(connect.errors)}`);
  log(`traffic: ${connect.connected} sockets connected, ${connect.joined} joins in ${connect.ms} ms`);
  const stepTimeout = (ms: number) => ms + config.drainMs + 60_000;
  const warmup = await trafficChild.request(
    {
      cmd: "traffic:step",
      step: { label: "warmup", rate: 100, durationMs: config.warmupMs, window: 0, drainMs: config.drainMs },
    },
    stepTimeout(config.warmupMs),
  );
  log(`traffic: warm-up ${warmup.acked} messages, p99 ${warmup.latency.p99} ms`);
  const measured = async (label: string, rate: number | null, durationMs: number): Promise<MeasuredStep> => {
    await sleep(1000);
    await metricsOf(server.url); // resets the event-loop histogram
    const meter = cpuMeter(server.pid, [trafficChild.pid, idleChild.pid], dbName);
    // BENCH_PROFILE=1: the server's CPU profile over the saturation step, summarised into the results.
    const profiling =
      env.BENCH_PROFILE === "1" && rate === null
        ? sleep(1000).then(() => profileServer(server.inspectorPort, durationMs - 2000))
        : undefined;
    const result = await trafficChild.request(
      {
        cmd: "traffic:step",
        step: { label, rate, durationMs, window: config.saturationWindow, drainMs: config.drainMs },
      },
      stepTimeout(durationMs),
    );
    const cpu = meter();
    const m = await metricsOf(server.url);
    const ms = (k: string) => round((m[k] ?? 0) * 1000, 1);
    const step: MeasuredStep = {
      ...result,
      cpu,
      ...(profiling
        ? { serverProfile: await profiling.catch((err: unknown) => ({ error: String(err) })) }
        : {}),
      serverEventLoop: {
        p99Ms: ms("nodejs_eventloop_lag_p99_seconds"),
        maxMs: ms("nodejs_eventloop_lag_max_seconds"),
        meanMs: ms("nodejs_eventloop_lag_mean_seconds"),
      },
    };
    log(
      `traffic: ${label}: sent ${step.sendRate}/s, acked ${step.ackedPerSec}/s, delivered ${step.deliveredPerSec}/s, ` +
        `p50/p95/p99 ${step.latency.p50}/${step.latency.p95}/${step.latency.p99} ms, lost ${step.lost}, ` +
        `errors ${JSON.stringify(step.ackErrors)}, cpu server ${cpu.server}% pg ${cpu.postgres}% load ${cpu.load}% other ${cpu.other}%`,
    );
    return step;
  };
  const steps: MeasuredStep[] = [];
  const skippedRates: number[] = [];
  for (const rate of config.rates) {
    if (skippedRates.length || steps.some(overloaded)) {
      skippedRates.push(rate);
      continue;
    }
    steps.push(await measured(`rate-${rate}`, rate, config.stepMs));
  }
  if (skippedRates.length)
    log(
      `traffic: the server could not keep up at ${steps.at(-1)?.offeredRate}/s; skipped ${skippedRates.join(", ")}/s`,
    );
  const saturation = await measured("saturation", null, config.saturationMs);
  return { connect, warmup, steps, skippedRates, saturation };
}

interface EchoResult {
  connections: number;
  payloadBytes: number;
  steps: Array<EchoStepResult & { cpu: CpuShares }>;
}

async function echoCeiling(): Promise<EchoResult> {
  const server: ChildProcess = fork(join(root, "bench", "ws-echo-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const entry = { name: "ws-echo", stop: () => stopProcess(server, "SIGTERM", 3000) };
  started.add(entry);
  const client = LoadChild.start("ws-echo-client", "load.ts");
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("ws echo server did not start")), 30_000);
      server.once("message", (m) => {
        clearTimeout(timer);
        resolve((m as { port: number }).port);
      });
      server.once("exit", () => reject(new Error("ws echo server exited")));
    });
    const steps: EchoResult["steps"] = [];
    for (const step of [
      { label: `rate-${config.echoRate}`, rate: config.echoRate, durationMs: config.echoMs },
      { label: "saturation", rate: null, durationMs: config.echoSaturationMs },
    ]) {
      const meter = cpuMeter(server.pid, [client.pid], undefined);
      const [result] = await client.request(
        {
          cmd: "wsecho:run",
          url: `ws://127.0.0.1:${port}`,
          connections: config.echoConnections,
          payloadBytes: config.echoPayloadBytes,
          steps: [{ ...step, window: config.saturationWindow, drainMs: 3000 }],
        },
        step.durationMs + 60_000,
      );
      steps.push({ ...result!, cpu: meter() });
      log(
        `ws echo: ${step.label}: ${result!.roundTripsPerSec} round trips/s, p50/p95/p99 ${result!.latency.p50}/${result!.latency.p95}/${result!.latency.p99} ms`,
      );
    }
    return { connections: config.echoConnections, payloadBytes: config.echoPayloadBytes, steps };
  } finally {
    await client.stop();
    started.delete(entry);
    await entry.stop();
  }
}

async function insertCeiling(databaseUrl: string): Promise<Array<InsertResult & { cpu: CpuShares }>> {
  await admin(databaseUrl, (c) =>
    c.query(
      `create table bench_ceiling (id bigserial primary key, conversation_id int not null,
         body text not null, created_at timestamptz not null default now())`,
    ),
  );
  const client = LoadChild.start("pg-insert", "load.ts");
  try {
    const results: Array<InsertResult & { cpu: CpuShares }> = [];
    for (const connections of config.insertConnections) {
      const meter = cpuMeter(undefined, [client.pid], dbName);
      const result = await client.request(
        { cmd: "pg:insert", url: databaseUrl, connections, durationMs: config.insertMs },
        config.insertMs + 60_000,
      );
      const cpu = meter();
      // The backends end with the load child's connections, before the meter reads: the child measured them.
      cpu.postgres = result.postgresCpuPercent;
      cpu.other = Math.max(0, round(cpu.machine - cpu.load - cpu.postgres, 1));
      results.push({ ...result, cpu });
      log(
        `postgres: ${connections} connection(s): ${result.rowsPerSec} durable inserts/s, p50/p99 ${result.latency.p50}/${result.latency.p99} ms, postgres cpu ${cpu.postgres}%`,
      );
    }
    return results;
  } finally {
    await client.stop();
  }
}

async function machineInfo() {
  const version = await admin(adminUrl, (c) => c.query<{ version: string }>("select version()"))
    .then((r) => r.rows[0]?.version ?? "unknown")
    .catch(() => "unknown");
  const settings = await admin(adminUrl, (c) =>
    c.query<{ name: string; setting: string }>(
      "select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'wal_sync_method', 'shared_buffers', 'max_connections')",
    ),
  )
    .then((r) => Object.fromEntries(r.rows.map((row) => [row.name, row.setting])))
    .catch(() => ({}));
  // What else is using the machine: CPU over two seconds before anything of the benchmark runs. A busy machine is
  // given a while to calm down; the figure is recorded either way.
  const busy = async () => {
    const m0 = machineCpuSeconds();
    await sleep(2000);
    return round(((machineCpuSeconds().busy - m0.busy) / 2) * 100, 1);
  };
  let background = await busy();
  const waitUntil = Date.now() + config.waitQuietMs;
  if (background > 30)
    log(`the machine is busy (${background}% of one core); waiting up to ${config.waitQuietMs / 1000} s`);
  while (background > 30 && Date.now() < waitUntil) {
    await sleep(3000);
    background = await busy();
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    totalMemoryBytes: totalmem(),
    node: process.version,
    kernel: release(),
    postgres: version,
    postgresSettings: settings,
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
    backgroundCpuPercentAtStart: background,
  };
}

const kib = (bytes: number) => round(bytes / 1024, 2);

/** A fresh database and the real server on it; both are dropped and stopped by cleanup() whatever happens. */
async function freshServer(
  label: string,
): Promise<{ name: string; url: string; server: BenchServer; startMs: number }> {
  const name = `sb_bench_${randomBytes(5).toString("hex")}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  databases.push(name);
  const url = withDatabase(name);
  const dataDir = mkdtempSync(join(tmpdir(), "sb-bench-"));
  dataDirs.push(dataDir);
  log(`${label}: database ${name} created; starting the server`);
  const started = performance.now();
  const server = await startServer({
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    SEED_DEMO: "auto",
    BUILD_WEB: "never",
    LOG_LEVEL: "warn",
    REDIS_URL: "",
  });
  const startMs = Math.round(performance.now() - started);
  log(`${label}: server up at ${server.url} (pid ${server.pid}) in ${startMs} ms`);
  return { name, url, server, startMs };
}

/** Idle sockets and chat traffic on one server; the server is stopped at the end, the database kept for later. */
async function chatStages() {
  const { name, url: databaseUrl, server, startMs: serverStartMs } = await freshServer("chat");
  dbName = name;

  const api = new Api(server.url);
  const people = await setup(api);
  log(
    `setup: ${config.idleCustomers + config.conversations} customers signed up in ${people.signupsMs} ms, ` +
      `${config.agents} agents in ${people.agentsMs} ms, ${config.conversations} conversations in ${people.conversationsMs} ms`,
  );

  // A freshly filled database has no planner statistics yet; autovacuum would gather them within a minute or so.
  await admin(databaseUrl, (c) => c.query("analyze"));

  const idleChild = LoadChild.start("idle-sockets", "load.ts");
  const idle = await idlePhase(server, idleChild, people.idleTokens);
  log(
    `idle: ${idle.connect.connected} sockets: ${kib(idle.perSocket.rssBytes)} KiB RSS and ${kib(idle.perSocket.heapAndExternalBytes)} KiB heap+external each ` +
      `(marginal ${kib(idle.perSocketMarginal.rssBytes)} / ${kib(idle.perSocketMarginal.heapAndExternalBytes)} KiB)`,
  );

  const trafficChild = LoadChild.start("traffic", "load.ts");
  const statsBefore = await postgresStats(databaseUrl);
  const traffic = await trafficPhase(server, trafficChild, idleChild, people);
  await sleep(1500); // backends publish their statistics within a second of going idle
  const messagesSent = [traffic.warmup, ...traffic.steps, traffic.saturation].reduce(
    (n, s) => n + s.acked,
    0,
  );
  const postgresPerMessage = perMessage(statsBefore, await postgresStats(databaseUrl), messagesSent);
  const idleStatus = await idleChild.request({ cmd: "idle:status" }, 10_000);
  idle.stillConnectedAfterTraffic = idleStatus.connected;
  idle.disconnects = idleStatus.disconnects;
  const serverRssEnd = rssOf(server.pid);
  await trafficChild.stop();
  await idleChild.stop();
  await server.stop();
  log(`chat: server stopped; ${idleStatus.connected} idle sockets were still connected at the end`);
  return { databaseUrl, serverStartMs, serverRssEnd, people, idle, traffic, postgresPerMessage };
}

type ChatResult = Awaited<ReturnType<typeof chatStages>>;

/** The queue stage on its own fresh database and server, so it starts from the same state in every run. */
async function queueRun(): Promise<QueueResult | { error: string }> {
  let fresh: Awaited<ReturnType<typeof freshServer>> | undefined;
  try {
    fresh = await freshServer("queue");
    return await queueStage({
      server: fresh.server,
      databaseUrl: fresh.url,
      dbName: fresh.name,
      config: config.queue,
      log,
    });
  } catch (err) {
    const died = fresh?.server.died();
    const error = `${died ? `${died}; ` : ""}${err instanceof Error ? err.message : String(err)}`;
    log(`queue: failed: ${error}`);
    if (fresh) process.stderr.write(`server output (end):\n${fresh.server.output().slice(-3000)}\n`);
    return { error };
  } finally {
    await fresh?.server.stop();
  }
}

/** The tickets stage on the filled database (BENCH_TICKETS_DB, switchboard_scale), which it never drops. */
async function ticketsRun(): Promise<TicketsResult | { error: string }> {
  const name = env.BENCH_TICKETS_DB ?? "switchboard_scale";
  let server: BenchServer | undefined;
  try {
    const found = await admin(adminUrl, (c) =>
      c.query("select 1 from pg_database where datname = $1", [name]),
    );
    if (!found.rowCount)
      throw new Error(`there is no database ${name}: fill it first with \`npm run bench:fill\``);
    const dataDir = mkdtempSync(join(tmpdir(), "sb-bench-"));
    dataDirs.push(dataDir);
    log(`tickets: starting the server on ${name}`);
    const databaseUrl = withDatabase(name);
    server = await startServer({
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SEED_DEMO: "never",
      BUILD_WEB: "never",
      LOG_LEVEL: "warn",
      REDIS_URL: "",
      // The fill archived what retention would have; its occasional run is not what the requests are timed against.
      RETENTION_INTERVAL_MINUTES: "0",
    });
    dbName = name;
    return await ticketsStage({ server, databaseUrl, dbName: name, config: config.tickets, log });
  } catch (err) {
    const error = `${server?.died() ? `${server.died()}; ` : ""}${err instanceof Error ? err.message : String(err)}`;
    log(`tickets: failed: ${error}`);
    return { error };
  } finally {
    await server?.stop();
  }
}

async function ceilingStages(databaseUrl: string) {
  let echo: EchoResult | { error: string };
  try {
    echo = await echoCeiling();
  } catch (err) {
    echo = { error: String(err) };
  }
  let inserts: Array<InsertResult & { cpu: CpuShares }> | { error: string };
  try {
    inserts = await insertCeiling(databaseUrl);
  } catch (err) {
    inserts = { error: String(err) };
  }
  return { echo, inserts };
}

type Verdict = { target: string; value: string; met: boolean };

function chatVerdicts({ idle, traffic }: ChatResult): { verdicts: Verdict[]; bestSaturated: number } {
  // Saturated is saturated: the closed-loop step, or an open-loop step the server could not keep up with.
  const bestSaturated = Math.max(
    traffic.saturation.ackedPerSec,
    ...traffic.steps.filter(overloaded).map((s) => s.ackedPerSec),
  );
  const at1000 = traffic.steps.find((s) => s.offeredRate === targets.sustainedRate);
  const verdicts = [
    {
      target: `${targets.sockets.toLocaleString("en")} connected sockets`,
      value: `${idle.connect.connected.toLocaleString("en")} idle + ${traffic.connect.connected} chatting; ${idle.stillConnectedAfterTraffic} idle still connected after the traffic`,
      met:
        idle.connect.connected >= targets.sockets &&
        (idle.stillConnectedAfterTraffic ?? 0) >= targets.sockets,
    },
    {
      target: `${targets.sustainedRate.toLocaleString("en")} messages/s sustained, p99 ≤ ${targets.p99Ms} ms`,
      value: at1000
        ? `${at1000.deliveredPerSec}/s delivered, p99 ${at1000.latency.p99} ms, lost ${at1000.lost}, errors ${Object.values(at1000.ackErrors).reduce((a, b) => a + b, 0)}`
        : `not reached: the server fell behind at ${traffic.steps.find(overloaded)?.offeredRate ?? "?"}/s (${traffic.steps.find(overloaded)?.ackedPerSec ?? "?"}/s acked)`,
      met:
        !!at1000 &&
        at1000.deliveredPerSec >= targets.sustainedRate * 0.98 &&
        at1000.latency.p99 <= targets.p99Ms &&
        at1000.lost === 0 &&
        Object.keys(at1000.ackErrors).length === 0,
    },
    {
      target: `≥ ${targets.durablePerSec.toLocaleString("en")} durable messages/s at saturation`,
      value:
        `${traffic.saturation.ackedPerSec}/s acknowledged (committed) with ${config.saturationWindow} in flight` +
        (bestSaturated > traffic.saturation.ackedPerSec ? `; ${bestSaturated}/s in an overloaded step` : ""),
      met: bestSaturated >= targets.durablePerSec,
    },
    {
      target: "≤ 20 KB (KiB) per idle socket",
      value:
        `${kib(idle.perSocket.rssBytes)} KiB RSS, ${kib(idle.perSocket.heapAndExternalBytes)} KiB heap+external; ` +
        `marginal ${kib(idle.perSocketMarginal.rssBytes)} / ${kib(idle.perSocketMarginal.heapAndExternalBytes)} KiB`,
      met: Math.max(socketCost(idle.perSocket), socketCost(idle.perSocketMarginal)) <= targets.bytesPerSocket,
    },
  ];
  return { verdicts, bestSaturated };
}

async function main() {
  const hardLimit = setTimeout(() => {
    process.stderr.write(`bench: over ${config.hardLimitMs / 60_000} minutes, stopping everything\n`);
    void cleanup().finally(() => process.exit(1));
  }, config.hardLimitMs);
  hardLimit.unref();

  const date = new Date().toISOString().slice(0, 10);
  log(`Switchboard benchmark ${date}${quick ? " (quick)" : ""}${only ? ` (${only} only)` : ""}`);
  const machine = await machineInfo();
  log(
    `machine: ${machine.cpus} CPUs, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, node ${machine.node}, ` +
      `load average ${machine.loadAverageAtStart.join(" ")}, busy before start ${machine.backgroundCpuPercentAtStart}% of one core`,
  );
  if (machine.backgroundCpuPercentAtStart > 30)
    log("warning: the machine is already busy; figures will be lower than on a quiet machine");

  const calls: CallsResult | undefined = only === "calls" ? await callsStage(config.calls, log) : undefined;
  const tickets = only === "tickets" ? await ticketsRun() : undefined;
  const chat = only === "queue" || only === "tickets" || only === "calls" ? undefined : await chatStages();
  const queue = only === "chat" || only === "tickets" || only === "calls" ? undefined : await queueRun();
  const ceilings = chat ? await ceilingStages(chat.databaseUrl) : undefined;

  const verdicts: Verdict[] = [];
  let bestSaturated = 0;
  if (chat) {
    const judged = chatVerdicts(chat);
    verdicts.push(...judged.verdicts);
    bestSaturated = judged.bestSaturated;
  }
  if (queue) verdicts.push(queueVerdict(queue));
  if (tickets) verdicts.push(...ticketsVerdicts(tickets));
  if (calls) verdicts.push(...callsVerdicts(calls));

  // CPU per acknowledged message at saturation: where the two cores go.
  const costPerMessage = chat
    ? (() => {
        const sat = chat.traffic.saturation;
        const perMessageMs = (percent: number) =>
          round(((percent / 100) * sat.cpu.seconds * 1000) / Math.max(sat.acked, 1), 2);
        return {
          serverCpuMs: perMessageMs(sat.cpu.server),
          postgresCpuMs: perMessageMs(sat.cpu.postgres),
          loadGeneratorCpuMs: perMessageMs(sat.cpu.load),
          transactionsPerMessage: chat.postgresPerMessage.perMessage.xact_commit ?? 0,
          newDatabaseSessions: chat.postgresPerMessage.totals.sessions ?? 0,
        };
      })()
    : undefined;
  if (costPerMessage)
    log(
      `cost per message at saturation: server ${costPerMessage.serverCpuMs} ms CPU, PostgreSQL ${costPerMessage.postgresCpuMs} ms CPU, ` +
        `load generator ${costPerMessage.loadGeneratorCpuMs} ms CPU`,
    );

  const results = {
    benchmark:
      only === "queue"
        ? "switchboard chat queue"
        : only === "tickets"
          ? "switchboard tickets"
          : only === "calls"
            ? "switchboard browser calls"
            : "switchboard live chat",
    date,
    quick,
    ...(only ? { only } : {}),
    machine,
    config,
    ...(chat
      ? {
          server: {
            startMs: chat.serverStartMs,
            database: "postgres",
            rssAtEndBytes: chat.serverRssEnd,
            inspector: true,
          },
          setup: {
            signupsMs: chat.people.signupsMs,
            agentsMs: chat.people.agentsMs,
            conversationsMs: chat.people.conversationsMs,
            customers: config.idleCustomers + config.conversations,
            agents: config.agents,
            conversations: config.conversations,
          },
          idle: chat.idle,
          traffic: {
            ...chat.traffic,
            bestSaturatedAckedPerSec: bestSaturated,
            costPerMessage,
            postgres: chat.postgresPerMessage,
          },
        }
      : {}),
    ...(queue ? { queue } : {}),
    ...(tickets ? { tickets } : {}),
    ...(calls ? { calls } : {}),
    ...(ceilings ? { ceilings: { wsEcho: ceilings.echo, postgresInserts: ceilings.inserts } } : {}),
    targets: verdicts,
  };

  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const base = only ? `${date}-${only}` : date;
  const jsonFile = join(dir, `${base}.json`);
  const svgFile = join(dir, `${base}.svg`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const busyLine = `Machine busy before start: ${machine.backgroundCpuPercentAtStart}% of one core (load average ${machine.loadAverageAtStart.join(", ")}).`;
  const queueChart = queue && "triggers" in queue ? queueChartInput(queue) : undefined;
  const machineLine = `${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.totalMemoryBytes / 2 ** 30).toFixed(0)} GiB, node ${machine.node}, ${machine.postgres.split(" on ")[0]}`;
  if (chat && ceilings) {
    const { traffic, idle } = chat;
    const { echo, inserts } = ceilings;
    const echoSat = "steps" in echo ? echo.steps.find((s) => s.offeredRate === null) : undefined;
    const bars: Array<{ label: string; value: number; highlight?: boolean }> = [
      { label: "Switchboard, durable msgs", value: traffic.saturation.ackedPerSec, highlight: true },
    ];
    if (Array.isArray(inserts))
      for (const r of inserts)
        bars.push({ label: `PG INSERT+commit ×${r.connections} conn`, value: r.rowsPerSec });
    if (echoSat) bars.push({ label: "bare ws echo round trips", value: echoSat.roundTripsPerSec });
    writeFileSync(
      svgFile,
      renderChart({
        title: `Switchboard live chat, ${date}`,
        subtitle: `${machineLine}; ${config.conversations} chats, ${idle.connect.connected.toLocaleString("en")} idle sockets connected`,
        steps: traffic.steps.map((s) => ({ rate: s.offeredRate ?? 0, ...pick(s) })),
        saturation: { rate: traffic.saturation.ackedPerSec, ...pick(traffic.saturation) },
        ...(traffic.skippedRates.length
          ? {
              note: `Not run: ${traffic.skippedRates.join(", ")}/s (the server fell behind at ${traffic.steps.at(-1)?.offeredRate}/s)`,
            }
          : {}),
        latencyTargetMs: targets.p99Ms,
        rateTarget: targets.sustainedRate,
        bars,
        barTarget: { label: `${targets.durablePerSec}/s target`, value: targets.durablePerSec },
        ...(queueChart ? { queue: queueChart } : {}),
        footer: [
          `Memory per idle socket (${idle.connect.connected.toLocaleString("en")} sockets, after a forced GC): ${kib(idle.perSocket.rssBytes)} KiB RSS, ${kib(idle.perSocket.heapAndExternalBytes)} KiB JS heap+external; marginal ${kib(idle.perSocketMarginal.rssBytes)} / ${kib(idle.perSocketMarginal.heapAndExternalBytes)} KiB.`,
          `Latency: message:send emitted → the other party's message:new, same clock; each step ${config.stepMs / 1000} s, open loop. Saturation: ${config.saturationWindow} sends in flight.`,
          busyLine,
        ],
      }),
    );
  } else if (queueChart) {
    writeFileSync(
      svgFile,
      renderQueueChart({
        title: `Switchboard chat queue, ${date}`,
        subtitle: machineLine,
        queue: queueChart,
        footer: [busyLine],
      }),
    );
  }

  if (chat && ceilings && costPerMessage)
    printSummary(
      chat.traffic.steps,
      chat.traffic.saturation,
      costPerMessage,
      chat.idle,
      ceilings.echo,
      ceilings.inserts,
    );
  if (queue) process.stdout.write(`${queueSummary(queue)}\n\n`);
  if (tickets) process.stdout.write(`${ticketsSummary(tickets)}\n\n`);
  if (calls) process.stdout.write(`${callsSummary(calls)}\n\n`);
  printTargets(verdicts);
  log(`wrote ${jsonFile}${existsSync(svgFile) && (chat || queueChart) ? ` and ${svgFile}` : ""}`);
}

function pick(s: StepResult) {
  return { p50: s.latency.p50, p95: s.latency.p95, p99: s.latency.p99 };
}

const perSocketRow = (p: PerSocket) => [kib(p.rssBytes), kib(p.heapUsedBytes), kib(p.heapAndExternalBytes)];

function printSummary(
  steps: MeasuredStep[],
  saturation: MeasuredStep,
  cost: { serverCpuMs: number; postgresCpuMs: number; loadGeneratorCpuMs: number },
  idle: IdleResult,
  echo: EchoResult | { error: string },
  inserts: Array<InsertResult & { cpu: CpuShares }> | { error: string },
) {
  const out: string[] = ["", "Chat traffic (send → the other party's message:new)"];
  out.push(
    table(
      [
        "step",
        "offered/s",
        "acked/s",
        "delivered/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "lost",
        "errors",
        "cpu srv/pg/load/other %",
      ],
      [...steps, saturation].map((s) => [
        s.label,
        s.offeredRate ?? `window ${config.saturationWindow}`,
        s.ackedPerSec,
        s.deliveredPerSec,
        s.latency.p50,
        s.latency.p95,
        s.latency.p99,
        s.latency.max,
        s.lost,
        Object.values(s.ackErrors).reduce((a, b) => a + b, 0),
        `${s.cpu.server}/${s.cpu.postgres}/${s.cpu.load}/${s.cpu.other}`,
      ]),
    ),
  );
  out.push(
    `At saturation: server ${saturation.cpu.server}% of one core, PostgreSQL ${saturation.cpu.postgres}%, load generators ${saturation.cpu.load}%, ` +
      `other work ${saturation.cpu.other}% (machine ${saturation.cpu.machine}% of ${cpus().length * 100}%).`,
    `CPU per message: server ${cost.serverCpuMs} ms, PostgreSQL ${cost.postgresCpuMs} ms, load generator ${cost.loadGeneratorCpuMs} ms.`,
  );
  out.push("", "Idle sockets (server memory after a forced GC)");
  out.push(
    table(
      ["sockets", "rss MiB", "heap used MiB", "external MiB", "fds"],
      idle.snapshots.map((snap) => [
        snap.sockets,
        round(snap.rssProc / 2 ** 20, 1),
        round(snap.heapUsed / 2 ** 20, 1),
        round(snap.external / 2 ** 20, 1),
        snap.fds,
      ]),
    ),
  );
  out.push(
    table(
      ["per idle socket", "rss KiB", "heap KiB", "heap+external KiB"],
      [
        ["from the baseline", ...perSocketRow(idle.perSocket)],
        ["marginal (first tranche → all)", ...perSocketRow(idle.perSocketMarginal)],
      ],
    ),
  );
  out.push(`connecting ${idle.connect.connected} sockets took ${round(idle.connect.ms / 1000, 1)} s`);
  out.push("", "Ceilings on this machine");
  const ceilingRows: Array<Array<string | number>> = [];
  if ("steps" in echo)
    for (const s of echo.steps)
      ceilingRows.push([
        `ws echo, ${echo.connections} conns, ${s.label}`,
        s.roundTripsPerSec,
        s.latency.p50,
        s.latency.p99,
      ]);
  else ceilingRows.push(["ws echo", `failed: ${echo.error}`, "", ""]);
  if (Array.isArray(inserts))
    for (const r of inserts)
      ceilingRows.push([
        `PostgreSQL INSERT+commit, ${r.connections} conn`,
        r.rowsPerSec,
        r.latency.p50,
        r.latency.p99,
      ]);
  else ceilingRows.push(["PostgreSQL inserts", `failed: ${inserts.error}`, "", ""]);
  ceilingRows.push([
    "Switchboard message:send, saturation",
    saturation.ackedPerSec,
    saturation.ackLatency.p50,
    saturation.ackLatency.p99,
  ]);
  out.push(table(["ceiling", "per second", "p50 ms", "p99 ms"], ceilingRows));
  process.stdout.write(`${out.join("\n")}\n\n`);
}

function printTargets(verdicts: Verdict[]) {
  const out = ["Targets"];
  out.push(
    table(
      ["target", "measured", "met"],
      verdicts.map((v) => [v.target, v.value, v.met ? "met" : "NOT MET"]),
    ),
  );
  process.stdout.write(`${out.join("\n")}\n\n`);
}

let interrupted = false;
process.on("SIGINT", () => {
  interrupted = true;
  process.stderr.write("\nbench: interrupted, stopping what it started\n");
  void cleanup().finally(() => process.exit(130));
});
process.on("SIGTERM", () => {
  interrupted = true;
  void cleanup().finally(() => process.exit(143));
});

main()
  .then(() => cleanup())
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    if (interrupted) return; // the signal handler stops everything and exits
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    await cleanup();
    process.exit(1);
  });
