/**
 * The queue stage of `npm run bench`: thousands of customers wait in one tenant's chat queue with their sockets
 * connected, agents come online and resolve chats, and every waiting customer's socket times the queue:position
 * that gives it its new place. Target: with 10,000 waiting, every update reaches every customer within 1 s.
 *
 * Accounts: signing up is one argon2 hash per customer (tens of ms of CPU each), so the customers are written
 * straight into the run's own database with one hash computed once (the server's own hashPassword) and a session
 * each, minted as the server mints them (a random `sbs_` token, its sha256 stored). Everything after that goes
 * through the API and Socket.IO: the chats are started by the customers (POST /conversations), agents change
 * availability and resolve chats over HTTP, and the server does all of its real work.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../src/server/db/schema";
import { conversations, sessions, tenants, users } from "../src/server/db/schema";
import { newToken, sha256 } from "../src/server/lib/crypto";
import { hashPassword } from "../src/server/modules/auth/password";
import { queueOrder } from "../src/server/modules/routing/queue-order";
import { Api, mapLimit } from "./lib/api";
import type { QueueChartInput } from "./lib/chart";
import { LoadChild } from "./lib/child";
import { type CpuShares, cpuMeter, cpuSecondsOf } from "./lib/cpu";
import { collectAndMeasure, type InclusiveProfile, profileWhile, type ServerMemory } from "./lib/inspector";
import type { ConnectResult, QueueCollectResult, WaitingCustomer } from "./lib/protocol";
import { type BenchServer, fdCount, metricsOf, rssOf } from "./lib/server";
import { type Percentiles, percentiles, round, table } from "./lib/stats";

/**
 * How the chats get into the queue; either way each customer starts their own chat with POST /conversations.
 * - handback: intake agents with room for all are on duty meanwhile (each chat is assigned at once), then they
 *   leave (DELETE /staff/:id) and every chat goes back to the queue, one change per agent.
 * - direct: nobody is on duty, each chat joins the queue as it starts. Every start changes the queue, and every
 *   change announces the whole queue to every waiting customer.
 */
export type QueueSetup = "handback" | "direct";

const setupHow: Record<QueueSetup, string> = {
  handback:
    "each customer starts a chat with POST /conversations while intake agents with room for all are on duty " +
    "(assigned at once); the intake agents are then deactivated, a few at a time (DELETE /staff/:id), each handing " +
    "its chats back to the queue in one change",
  direct: "each customer starts a chat with POST /conversations while nobody is on duty: it joins the queue",
};

/** Chats per intake agent: the most a person may hold. */
const intakeCapacity = 50;

export interface QueueConfig {
  /** Waiting customers: one account, one queued chat and one socket each. */
  customers: number;
  setup: QueueSetup;
  /** Load generator processes the sockets are spread over. */
  children: number;
  /** Agents who come online one after another, each taking `maxChats` chats from the head of the queue. */
  agents: number;
  maxChats: number;
  /** Then each agent resolves this many chats, one at a time: the next chat in line takes its place. */
  resolvesPerAgent: number;
  /** Chats being started at once through the API during setup. */
  createConcurrency: number;
  /** Intake agents leaving at once (handback): changes within the server's coalescing delay share an announcement. */
  handbackConcurrency: number;
  /** Sockets each load generator opens at once. */
  connectBatch: number;
  connectTimeoutMs: number;
  /** How long after a change the customers' updates are waited for at most. */
  updateTimeoutMs: number;
  /** Quiet time between changes, so announcements never overlap. */
  pauseMs: number;
  password: string;
  /** Past this the stage stops, whatever it is doing. */
  stageLimitMs: number;
}

export const queueTarget = { customers: 10_000, withinMs: 1000 };

export interface QueueStageContext {
  server: BenchServer;
  databaseUrl: string;
  dbName: string;
  config: QueueConfig;
  log: (line: string) => void;
}

type Snapshot = ServerMemory & { rssProc: number; fds: number; sockets: number };

export interface TriggerResult {
  label: string;
  change: "online" | "resolve";
  /** The triggering request, sent → answered; the change committed somewhere in between. */
  requestMs: number;
  /** Chats that left the queue (assigned) with the change. */
  leftQueue: number;
  /** Chats still waiting: each has a new place. */
  waiting: number;
  /** Of those, with a connected socket: the customers expected to hear of it. */
  expected: number;
  updated: number;
  missing: number;
  /** Customers whose first update after the change named another place than the committed one. */
  otherPlaceFirst: number;
  /** queue:position events the sockets received meanwhile (all of them, whichever place they named). */
  received: number;
  /** Change → update, from the request's answer (the change had committed by then): a lower bound. */
  delayMs: Percentiles;
  /** From the moment the request was sent (the change cannot have been earlier): an upper bound. */
  delayFromRequestMs: Percentiles;
  /** Share of expected customers updated within the target, counted from the request being sent. */
  withinTarget: number;
  /** The load generators' own event-loop delay while receiving: how late they may have timestamped. */
  clientLoopDelayMaxMs: number;
}

export interface QueueResult {
  customers: number;
  accounts: { method: string; hashMs: number; insertMs: number };
  chats: {
    setup: QueueSetup;
    how: string;
    ms: number;
    perSec: number;
    /** The chats' status in the answer to POST /conversations. */
    statusOnStart: Record<string, number>;
    concurrency: number;
    intakeAgents: number;
    intakeMs: number;
    handbackMs: number;
  };
  agents: { count: number; maxChats: number };
  clocks: Array<{ child: string; offsetMs: number; rttMs: number }>;
  connect: ConnectResult & { perChild: ConnectResult[]; settleMs: number };
  memory: {
    /**
     * After a forced GC each: once the queue is set up, with every socket connected, and at the end. Not read as
     * a cost per socket: Socket.IO keeps every announcement for connection-state recovery for 2 minutes, so the
     * setup's announcements are part of the first figures and expire in between.
     */
    afterSetup: Snapshot;
    connected: Snapshot;
    end: Snapshot;
  };
  triggers: TriggerResult[];
  /** Changes not made because the stage was running out of time. */
  skippedChanges: string[];
  overall: {
    changes: number;
    expected: number;
    updated: number;
    missing: number;
    delayMs: Percentiles;
    delayFromRequestMs: Percentiles;
    withinTarget: number;
  };
  /** Over the measured changes (pauses between them included). */
  cpu: CpuShares;
  serverEventLoop: { p99Ms: number; maxMs: number; meanMs: number };
  serverRssMaxBytes: number;
  /** One more change, with the server's CPU profiled (not counted above): what one announcement costs. */
  announcement:
    | {
        trigger: TriggerResult;
        profile: InclusiveProfile;
        /** From the change's answer to the first and to the last customer's update, and between the two. */
        firstUpdateMs: number;
        lastUpdateMs: number;
        spreadMs: number;
        /** The emitting loop's time per waiting customer. */
        emitPerCustomerUs: number;
      }
    | { error: string };
  stillConnected: number;
  disconnects: Record<string, number>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** One clock for every process of the run: epoch milliseconds with sub-millisecond resolution. */
const clock = () => performance.timeOrigin + performance.now();

type Db = ReturnType<typeof drizzle<typeof schema>>;

/** The tenant's queue as committed, in the server's own order: chat → place. */
async function committedQueue(db: Db, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.kind, "support"),
        eq(conversations.status, "queued"),
      ),
    )
    .orderBy(...queueOrder);
  return new Map(rows.map((r, i) => [r.id, i + 1]));
}

/** Customers with a password (hashed once) and a session each, written in the run's database. */
async function makeCustomers(db: Db, tenantId: string, config: QueueConfig) {
  let t = performance.now();
  const passwordHash = await hashPassword(config.password);
  const hashMs = Math.round(performance.now() - t);
  t = performance.now();
  const expiresAt = new Date(Date.now() + 24 * 3600_000);
  const out: Array<{ userId: string; token: string }> = [];
  for (let from = 0; from < config.customers; from += 1000) {
    const inserted = await db
      .insert(users)
      .values(
        Array.from({ length: Math.min(1000, config.customers - from) }, (_, k) => ({
          tenantId,
          email: `bench-waiting-${from + k}@acme.test`,
          name: `Waiting Customer ${from + k}`,
          role: "customer" as const,
          passwordHash,
        })),
      )
      .returning({ id: users.id });
    const minted = inserted.map((u) => ({ userId: u.id, token: newToken("sbs") }));
    await db
      .insert(sessions)
      .values(minted.map((m) => ({ tenantId, userId: m.userId, tokenHash: sha256(m.token), expiresAt })));
    out.push(...minted);
  }
  return { customers: out, hashMs, insertMs: Math.round(performance.now() - t) };
}

/** The offset of a load generator's clock from ours, from the quickest of a few round trips. */
async function calibrate(child: LoadChild): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 25; i++) {
    const t0 = clock();
    const { now } = await child.request({ cmd: "clock" }, 5000);
    const t1 = clock();
    if (t1 - t0 < best.rttMs) best = { offsetMs: now - (t0 + t1) / 2, rttMs: t1 - t0 };
  }
  return { offsetMs: round(best.offsetMs, 3), rttMs: round(best.rttMs, 3) };
}

/** Waits until the server's own work (presence of the new sockets) has died down, up to `maxMs`. */
async function settle(pid: number, maxMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    const before = cpuSecondsOf(pid);
    await sleep(1000);
    if ((cpuSecondsOf(pid) - before) * 100 < 10) break;
  }
  return Math.round(performance.now() - started);
}

export async function queueStage(ctx: QueueStageContext): Promise<QueueResult> {
  const children: LoadChild[] = [];
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 });
  pool.on("error", () => {});
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overtime = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        new Error(`the queue stage took longer than ${ctx.config.stageLimitMs / 1000} s and was stopped`),
      );
    }, ctx.config.stageLimitMs);
  });
  const reached: Reached = { phase: "setting up", chatsStarted: 0 };
  try {
    return await Promise.race([
      run(ctx, drizzle(pool, { schema }), children, abort.signal, reached),
      overtime,
    ]);
  } catch (err) {
    let rss = "";
    try {
      rss = `, server rss ${(rssOf(ctx.server.pid) / 2 ** 20).toFixed(0)} MiB`;
    } catch {
      // the server is gone
    }
    throw new Error(
      `${err instanceof Error ? err.message : String(err)} (${reached.phase}; ${reached.chatsStarted} chats started${rss})`,
    );
  } finally {
    clearTimeout(timer);
    abort.abort();
    await Promise.allSettled(children.map((c) => c.stop()));
    await pool.end().catch(() => {});
  }
}

/** How far the stage got, for the report when it fails. */
interface Reached {
  phase: string;
  chatsStarted: number;
}

async function run(
  ctx: QueueStageContext,
  db: Db,
  children: LoadChild[],
  signal: AbortSignal,
  reached: Reached,
) {
  const { server, config, log } = ctx;
  const deadline = performance.now() + config.stageLimitMs;
  /** A change is only made with time left to wait for all of its updates and to finish the stage. */
  const timeForAnotherChange = () => deadline - performance.now() > config.updateTimeoutMs + 60_000;
  const api = new Api(server.url);
  const stillRunning = () => {
    if (signal.aborted) throw new Error("the queue stage was stopped");
  };

  // Setup: automatic assignment on. The first-response target is set to its maximum so no chat is flagged overdue
  // (and moved to the front) while the stage runs. The agents who make the changes start offline.
  const adminToken = (await api.login("admin@acme.test", "demo-password-1")).token;
  await api.call("PATCH", "/settings", adminToken, {
    autoAssignment: true,
    firstResponseTargetSeconds: 86400,
  });
  const agents = await mapLimit(
    Array.from({ length: config.agents }, (_, i) => i),
    2,
    async (i) => {
      const email = `bench-queue-agent-${i}@acme.test`;
      await api.createAgent(adminToken, email, `Queue Agent ${i + 1}`, config.password, config.maxChats);
      const signedIn = await api.login(email, config.password);
      return { userId: signedIn.user.id, token: signedIn.token };
    },
  );
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, "acme"));
  if (!tenant) throw new Error("the demo tenant acme is missing");
  const tenantId = tenant.id;
  const made = await makeCustomers(db, tenantId, config);
  log(
    `queue: ${config.customers.toLocaleString("en")} customers with sessions written in ${made.insertMs} ms (one argon2 hash, ${made.hashMs} ms)`,
  );

  // Handback: intake agents with room for every chat are on duty while the customers start their chats.
  reached.phase = "putting intake agents on duty";
  let t = performance.now();
  const intake: string[] = [];
  if (config.setup === "handback") {
    const count = Math.ceil(config.customers / intakeCapacity);
    intake.push(
      ...(await mapLimit(
        Array.from({ length: count }, (_, i) => i),
        2,
        async (i) => {
          stillRunning();
          const { id } = await api.createAgent(
            adminToken,
            `bench-intake-${i}@acme.test`,
            `Intake Agent ${i + 1}`,
            undefined,
            intakeCapacity,
          );
          await api.call("PATCH", `/staff/${id}`, adminToken, { availability: { status: "online" } });
          return id;
        },
      )),
    );
    log(
      `queue: ${count} intake agents on duty (${intakeCapacity} chats each) in ${Math.round(performance.now() - t)} ms`,
    );
  }
  const intakeMs = Math.round(performance.now() - t);

  t = performance.now();
  reached.phase = "starting chats";
  const progressEvery = Math.max(1000, Math.round(config.customers / 5));
  const startStatuses: Record<string, number> = {};
  let segment = cpuMeter(server.pid, [process.pid], ctx.dbName);
  const progress = (what: string, done: number) => {
    const cpu = segment();
    segment = cpuMeter(server.pid, [process.pid], ctx.dbName);
    log(
      `queue: ${done} ${what} (${Math.round(performance.now() - t)} ms; meanwhile server ${cpu.server}% of one core, ` +
        `PostgreSQL ${cpu.postgres}%, other ${cpu.other}%; server rss ${(rssOf(server.pid) / 2 ** 20).toFixed(0)} MiB)`,
    );
  };
  const waitingCustomers: WaitingCustomer[] = await mapLimit(
    made.customers,
    config.createConcurrency,
    async (c, i) => {
      stillRunning();
      const chat = await api.call<{ id: string; status: string }>("POST", "/conversations", c.token, {
        subject: `Order ${10_000 + i} has not arrived`,
        message: "Hello, my order has not arrived yet and the tracking page shows nothing. Can someone help?",
      });
      startStatuses[chat.status] = (startStatuses[chat.status] ?? 0) + 1;
      reached.chatsStarted++;
      if ((i + 1) % progressEvery === 0) progress("chats started", i + 1);
      return { ...c, conversationId: chat.id };
    },
  );
  const chatsMs = Math.round(performance.now() - t);
  log(
    `queue: ${waitingCustomers.length} chats started through the API in ${chatsMs} ms ` +
      `(${round(waitingCustomers.length / (chatsMs / 1000), 1)}/s): ${JSON.stringify(startStatuses)}`,
  );

  // The intake agents leave (deactivated, a few at a time): each hands its chats back to the queue in one change.
  reached.phase = "handing chats back to the queue";
  t = performance.now();
  let gone = 0;
  await mapLimit(intake, config.handbackConcurrency, async (id) => {
    stillRunning();
    await api.call("DELETE", `/staff/${id}`, adminToken);
    gone++;
    if (gone % Math.max(1, Math.round(intake.length / 4)) === 0)
      progress(`of ${intake.length} intake agents gone`, gone);
  });
  const handbackMs = Math.round(performance.now() - t);
  let queue = await committedQueue(db, tenantId);
  log(`queue: ${queue.size} chats waiting${intake.length ? ` (handed back in ${handbackMs} ms)` : ""}`);
  if (queue.size !== config.customers)
    throw new Error(`${queue.size} chats are queued, not ${config.customers}: someone took chats`);
  await db.execute(sql`analyze`);

  // Sockets: spread over the load generators, whose clocks are calibrated against this process's.
  reached.phase = "connecting sockets";
  for (let i = 0; i < config.children; i++)
    children.push(LoadChild.start(`queue-clients-${i + 1}`, "queue-clients.ts"));
  const clocks: QueueResult["clocks"] = [];
  for (const child of children) clocks.push({ child: child.name, ...(await calibrate(child)) });
  const shares: WaitingCustomer[][] = children.map(() => []);
  waitingCustomers.forEach((c, i) => {
    shares[i % children.length]!.push(c);
  });

  let sockets = 0;
  const snapshot = async (): Promise<Snapshot> => ({
    ...(await collectAndMeasure(server.inspectorPort, 60_000)),
    rssProc: rssOf(server.pid),
    fds: fdCount(server.pid),
    sockets,
  });
  const afterSetup = await snapshot();
  t = performance.now();
  const perChild = await Promise.all(
    children.map((child, i) =>
      child.request(
        {
          cmd: "queue:connect",
          url: server.url,
          customers: shares[i]!,
          batch: config.connectBatch,
          timeoutMs: config.connectTimeoutMs,
        },
        config.stageLimitMs,
      ),
    ),
  );
  const connect = {
    connected: perChild.reduce((n, r) => n + r.connected, 0),
    failed: perChild.reduce((n, r) => n + r.failed, 0),
    ms: Math.round(performance.now() - t),
    errors: {} as Record<string, number>,
    perChild,
    settleMs: 0,
  };
  for (const r of perChild)
    for (const [k, v] of Object.entries(r.errors)) connect.errors[k] = (connect.errors[k] ?? 0) + v;
  sockets = connect.connected;
  log(
    `queue: ${connect.connected} sockets connected (${connect.failed} failed${connect.failed ? `: ${JSON.stringify(connect.errors)}` : ""}) in ${connect.ms} ms over ${children.length} processes`,
  );
  connect.settleMs = await settle(server.pid, 60_000);
  const connected = await snapshot();
  log(
    `queue: server rss ${(connected.rssProc / 2 ** 20).toFixed(0)} MiB, heap ${(connected.heapUsed / 2 ** 20).toFixed(0)} MiB with ${sockets} sockets (settled in ${connect.settleMs} ms)`,
  );
  stillRunning();

  // Changes: agents come online one by one, then resolve chats; each change gives every waiting chat a new place.
  reached.phase = "making changes";
  const allFromAnswer: number[] = [];
  const allFromSent: number[] = [];
  const change = async (
    label: string,
    kind: "online" | "resolve",
    agent: { userId: string; token: string },
    counted = true,
  ): Promise<TriggerResult> => {
    stillRunning();
    reached.phase = `making changes: ${label}`;
    let request: () => Promise<unknown>;
    if (kind === "online")
      request = () => api.call("PATCH", "/me/availability", agent.token, { status: "online" });
    else {
      const [mine] = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.assigneeId, agent.userId), eq(conversations.status, "open")))
        .orderBy(asc(conversations.assignedAt))
        .limit(1);
      if (!mine) throw new Error(`${label}: the agent holds no open chat`);
      request = () => api.call("POST", `/conversations/${mine.id}/resolve`, agent.token);
    }
    await Promise.all(children.map((c) => c.request({ cmd: "queue:arm" }, 10_000)));
    const sizeBefore = queue.size;
    const sent = clock();
    await request();
    const answered = clock();
    queue = await committedQueue(db, tenantId);
    const expected = shares.map((share) =>
      share.flatMap((c): Array<[string, number]> => {
        const place = queue.get(c.conversationId);
        return place === undefined ? [] : [[c.conversationId, place]];
      }),
    );
    const collected: QueueCollectResult[] = await Promise.all(
      children.map((c, i) =>
        c.request(
          { cmd: "queue:collect", expected: expected[i]!, timeoutMs: config.updateTimeoutMs },
          config.updateTimeoutMs + 30_000,
        ),
      ),
    );
    const fromAnswer: number[] = [];
    const fromSent: number[] = [];
    collected.forEach((r, i) => {
      for (const arrived of r.arrivals) {
        const at = arrived - clocks[i]!.offsetMs;
        fromAnswer.push(at - answered);
        fromSent.push(at - sent);
      }
    });
    if (counted) {
      allFromAnswer.push(...fromAnswer);
      allFromSent.push(...fromSent);
    }
    const expectedCount = collected.reduce((n, r) => n + r.expected, 0);
    const result: TriggerResult = {
      label,
      change: kind,
      requestMs: round(answered - sent, 1),
      leftQueue: sizeBefore - queue.size,
      waiting: queue.size,
      expected: expectedCount,
      updated: fromSent.length,
      missing: collected.reduce((n, r) => n + r.missing, 0),
      otherPlaceFirst: collected.reduce((n, r) => n + r.otherPlaceFirst, 0),
      received: collected.reduce((n, r) => n + r.received, 0),
      delayMs: percentiles(fromAnswer),
      delayFromRequestMs: percentiles(fromSent),
      withinTarget: round(
        fromSent.filter((d) => d <= queueTarget.withinMs).length / Math.max(expectedCount, 1),
        4,
      ),
      clientLoopDelayMaxMs: Math.max(...collected.map((r) => r.loopDelay.maxMs)),
    };
    log(
      `queue: ${label}: ${result.leftQueue} left the queue, ${result.updated}/${result.expected} updated, ` +
        `p50/p99/max ${result.delayMs.p50}/${result.delayMs.p99}/${result.delayMs.max} ms after the answer ` +
        `(request ${result.requestMs} ms), ${round(result.withinTarget * 100, 2)}% within ${queueTarget.withinMs} ms`,
    );
    await sleep(config.pauseMs);
    return result;
  };

  const plan: Array<{ label: string; kind: "online" | "resolve"; agent: number }> = [];
  for (let i = 0; i < agents.length; i++)
    plan.push({ label: `agent ${i + 1} comes online`, kind: "online", agent: i });
  for (let r = 0; r < config.resolvesPerAgent; r++)
    for (let i = 0; i < agents.length; i++)
      plan.push({ label: `agent ${i + 1} resolves a chat`, kind: "resolve", agent: i });

  let rssMax = rssOf(server.pid);
  const rssTimer = setInterval(() => {
    try {
      rssMax = Math.max(rssMax, rssOf(server.pid));
    } catch {
      // the server is gone; the stage fails elsewhere
    }
  }, 200);
  const triggers: TriggerResult[] = [];
  const skippedChanges: string[] = [];
  let cpu: CpuShares;
  let loop: Record<string, number>;
  try {
    await metricsOf(server.url);
    const meter = cpuMeter(server.pid, [...children.map((c) => c.pid), process.pid], ctx.dbName);
    for (const step of plan) {
      if (timeForAnotherChange()) triggers.push(await change(step.label, step.kind, agents[step.agent]!));
      else skippedChanges.push(step.label);
    }
    if (skippedChanges.length) log(`queue: out of time, skipped ${skippedChanges.length} changes`);
    cpu = meter();
    loop = await metricsOf(server.url);
  } finally {
    clearInterval(rssTimer);
  }

  let announcement: QueueResult["announcement"];
  try {
    if (!timeForAnotherChange()) throw new Error("skipped: out of time");
    const { result, profile } = await profileWhile(server.inspectorPort, ["announce", "readQueue"], () =>
      change("profiled: agent 1 resolves a chat", "resolve", agents[0]!, false),
    );
    announcement = {
      trigger: result,
      profile,
      firstUpdateMs: result.delayMs.min,
      lastUpdateMs: result.delayMs.max,
      spreadMs: round(result.delayMs.max - result.delayMs.min, 1),
      emitPerCustomerUs: round(((profile.inclusiveMs.announce ?? 0) * 1000) / Math.max(result.waiting, 1), 1),
    };
  } catch (err) {
    announcement = { error: String(err) };
  }

  const statuses = await Promise.all(children.map((c) => c.request({ cmd: "queue:status" }, 10_000)));
  const disconnects: Record<string, number> = {};
  for (const s of statuses)
    for (const [k, v] of Object.entries(s.disconnects)) disconnects[k] = (disconnects[k] ?? 0) + v;
  const end = await snapshot();

  const all = (pick: (t: TriggerResult) => number) => triggers.reduce((n, t) => n + pick(t), 0);
  const overallExpected = all((t) => t.expected);
  const ms = (k: string) => round((loop[k] ?? 0) * 1000, 1);
  return {
    customers: config.customers,
    accounts: {
      method:
        "written in the run's database: one argon2id hash (the server's hashPassword) shared by all, a session " +
        "each minted like the server's (random sbs_ token, sha256 stored); chats started through POST /conversations",
      hashMs: made.hashMs,
      insertMs: made.insertMs,
    },
    chats: {
      setup: config.setup,
      how: setupHow[config.setup],
      ms: chatsMs,
      perSec: round(waitingCustomers.length / (chatsMs / 1000), 1),
      statusOnStart: startStatuses,
      concurrency: config.createConcurrency,
      intakeAgents: intake.length,
      intakeMs,
      handbackMs,
    },
    agents: { count: agents.length, maxChats: config.maxChats },
    clocks,
    connect,
    memory: {
      afterSetup,
      connected,
      end,
    },
    triggers,
    skippedChanges,
    overall: {
      changes: triggers.length,
      expected: overallExpected,
      updated: all((t) => t.updated),
      missing: all((t) => t.missing),
      delayMs: percentiles(allFromAnswer),
      delayFromRequestMs: percentiles(allFromSent),
      withinTarget: round(
        allFromSent.filter((d) => d <= queueTarget.withinMs).length / Math.max(overallExpected, 1),
        4,
      ),
    },
    cpu,
    serverEventLoop: {
      p99Ms: ms("nodejs_eventloop_lag_p99_seconds"),
      maxMs: ms("nodejs_eventloop_lag_max_seconds"),
      meanMs: ms("nodejs_eventloop_lag_mean_seconds"),
    },
    serverRssMaxBytes: rssMax,
    announcement,
    stillConnected: statuses.reduce((n, s) => n + s.connected, 0),
    disconnects,
  };
}

const isResult = (q: QueueResult | { error: string }): q is QueueResult => "triggers" in q;

export function queueVerdict(q: QueueResult | { error: string }): {
  target: string;
  value: string;
  met: boolean;
} {
  const target = `${queueTarget.customers.toLocaleString("en")} queued customers: every position update within ${queueTarget.withinMs / 1000} s`;
  if (!isResult(q)) return { target, value: `failed: ${q.error}`, met: false };
  const o = q.overall;
  return {
    target,
    value:
      `${q.connect.connected.toLocaleString("en")} waiting customers connected, ${o.changes} changes: ` +
      `p50 ${o.delayMs.p50} ms, p99 ${o.delayMs.p99} ms, max ${o.delayMs.max} ms after the change's answer ` +
      `(max ${o.delayFromRequestMs.max} ms from its request); ${round(o.withinTarget * 100, 2)}% within ${queueTarget.withinMs} ms, ` +
      `${o.missing} updates missing`,
    met:
      q.customers >= queueTarget.customers &&
      q.connect.connected >= queueTarget.customers &&
      q.stillConnected >= queueTarget.customers &&
      o.missing === 0 &&
      o.updated > 0 &&
      o.delayFromRequestMs.max <= queueTarget.withinMs,
  };
}

const mib = (bytes: number) => round(bytes / 2 ** 20, 1);

export function queueSummary(q: QueueResult | { error: string }): string {
  if (!isResult(q)) return `Queue stage failed: ${q.error}`;
  const rows = q.triggers.map((t) => [
    t.label,
    t.leftQueue,
    t.waiting,
    `${t.updated}/${t.expected}`,
    t.delayMs.p50,
    t.delayMs.p95,
    t.delayMs.p99,
    t.delayMs.max,
    t.delayFromRequestMs.max,
    `${round(t.withinTarget * 100, 2)}%`,
    t.requestMs,
    t.clientLoopDelayMaxMs,
  ]);
  const o = q.overall;
  rows.push([
    "all changes",
    q.triggers.reduce((n, t) => n + t.leftQueue, 0),
    "",
    `${o.updated}/${o.expected}`,
    o.delayMs.p50,
    o.delayMs.p95,
    o.delayMs.p99,
    o.delayMs.max,
    o.delayFromRequestMs.max,
    `${round(o.withinTarget * 100, 2)}%`,
    "",
    "",
  ]);
  const out = [
    `Queue: ${q.connect.connected.toLocaleString("en")} waiting customers connected (change → their new queue:position, ms after the change's answer)`,
    table(
      [
        "change",
        "left queue",
        "waiting",
        "updated",
        "p50",
        "p95",
        "p99",
        "max",
        "max from request",
        `≤ ${queueTarget.withinMs} ms`,
        "request ms",
        "client lag ms",
      ],
      rows,
    ),
    `Server during the changes: ${q.cpu.server}% of one core, PostgreSQL ${q.cpu.postgres}%, load generators ${q.cpu.load}%, other ${q.cpu.other}% ` +
      `(machine ${q.cpu.machine}%); event loop lag p99 ${q.serverEventLoop.p99Ms} ms, max ${q.serverEventLoop.maxMs} ms; RSS up to ${mib(q.serverRssMaxBytes)} MiB.`,
    `Server memory after a forced GC, set up → sockets connected → end: RSS ${mib(q.memory.afterSetup.rssProc)} → ${mib(q.memory.connected.rssProc)} → ${mib(q.memory.end.rssProc)} MiB, ` +
      `heap ${mib(q.memory.afterSetup.heapUsed)} → ${mib(q.memory.connected.heapUsed)} → ${mib(q.memory.end.heapUsed)} MiB; ` +
      `${q.memory.connected.fds} file descriptors with the sockets.`,
    `Setup (${q.chats.setup}): ${q.customers.toLocaleString("en")} accounts written in ${q.accounts.insertMs} ms; chats started through the API in ` +
      `${round(q.chats.ms / 1000, 1)} s (${q.chats.perSec}/s)` +
      (q.chats.intakeAgents
        ? `, handed back to the queue by ${q.chats.intakeAgents} intake agents in ${round(q.chats.handbackMs / 1000, 1)} s`
        : "") +
      `; sockets connected in ${round(q.connect.ms / 1000, 1)} s, ${q.connect.failed} failed.`,
  ];
  if ("profile" in q.announcement) {
    const a = q.announcement;
    out.push(
      `One announcement (profiled change, not counted above): first customer updated ${a.firstUpdateMs} ms after the answer, last ${a.lastUpdateMs} ms ` +
        `(${a.spreadMs} ms between them); the server spent ${a.profile.inclusiveMs.announce ?? 0} ms in the emitting loop ` +
        `(${a.emitPerCustomerUs} µs per waiting customer), ` +
        `${a.profile.inclusiveMs.readQueue ?? 0} ms in readQueue's own code (row parsing and PostgreSQL not included); ` +
        `busy ${a.profile.busyMs} ms of the ${a.profile.sampledMs} ms sampled.`,
    );
  } else out.push(`Announcement profile failed: ${q.announcement.error}`);
  out.push(
    `Still connected at the end: ${q.stillConnected.toLocaleString("en")}${Object.keys(q.disconnects).length ? `; disconnects ${JSON.stringify(q.disconnects)}` : ""}.`,
  );
  return out.join("\n");
}

const shortLabel = (label: string) =>
  label
    .replace(/^agent (\d+) comes online$/, "A$1 online")
    .replace(/^agent (\d+) resolves a chat$/, "A$1 resolves");

export function queueChartInput(q: QueueResult): QueueChartInput {
  const o = q.overall;
  return {
    customers: q.connect.connected,
    targetMs: queueTarget.withinMs,
    changes: q.triggers.map((t) => ({
      label: shortLabel(t.label),
      p50: t.delayMs.p50,
      p99: t.delayMs.p99,
      max: t.delayMs.max,
      within: t.withinTarget,
    })),
    caption: [
      `All ${o.changes} changes: p50 ${Math.round(o.delayMs.p50)} ms, p99 ${Math.round(o.delayMs.p99)} ms, max ${Math.round(o.delayMs.max)} ms after the change's answer, ` +
        `max ${Math.round(o.delayFromRequestMs.max)} ms after its request; ${round(o.withinTarget * 100, 2)}% ≤ ${queueTarget.withinMs} ms from the request; ${o.missing} missing.`,
      `During the changes: server ${q.cpu.server}% of one core, PostgreSQL ${q.cpu.postgres}%, clients ${q.cpu.load}%; ` +
        `server heap ${mib(q.memory.connected.heapUsed)} MiB with the sockets; chats set up by ${q.chats.setup}.`,
    ],
  };
}
