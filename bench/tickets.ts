/**
 * The tickets stage (`BENCH_ONLY=tickets npm run bench`): the real server on the database `npm run bench:fill`
 * filled (1,000,000 tickets, 10,000,000 messages, 100 tenants), staff of several tenants signed in, and each kind
 * of request of bench/lib/tickets-requests.ts timed over thousands of requests with a few in flight: the staff
 * ticket list with filters and paging, full-text search, and GET /stats. Targets: list p99 ≤ 50 ms, search p99
 * ≤ 200 ms, stats p99 ≤ 100 ms, each kind on its own.
 */
import pg from "pg";
import { Api, mapLimit } from "./lib/api";
import { type CpuShares, cpuMeter } from "./lib/cpu";
import { fillPassword } from "./lib/fill-plan";
import { seeded } from "./lib/fill-text";
import type { BenchServer } from "./lib/server";
import { mergeCpu, summarise, type TicketsResult } from "./lib/tickets-report";
import {
  type BenchTenant,
  defaultTenants,
  describeDatabase,
  type Kind,
  kinds,
  type Sample,
  type Timed,
  tenantFacts,
} from "./lib/tickets-requests";

export type { TicketsResult } from "./lib/tickets-report";
export { ticketsSummary, ticketsTargets, ticketsVerdicts } from "./lib/tickets-report";

export interface TicketsConfig {
  /** Timed requests per kind, and untimed ones before them (the server's and PostgreSQL's caches warm up). */
  requests: number;
  warmup: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** The timed requests are split over this many rounds through all the kinds. */
  rounds: number;
  /** Tenants whose staff sign in; by default the largest, two middling ones and the smallest. */
  tenants: string[];
  stageLimitMs: number;
}

interface Context {
  server: BenchServer;
  databaseUrl: string;
  dbName: string;
  config: TicketsConfig;
  log: (s: string) => void;
}

/** Signs in the tenant's admin and first agent, and reads what the requests may name. */
async function prepareTenant(api: Api, client: pg.Client, slug: string): Promise<BenchTenant> {
  const facts = await tenantFacts(client, slug);
  const login = (email: string) =>
    api.call<{ token: string }>("POST", "/auth/login", null, { tenant: slug, email, password: fillPassword });
  const [admin, agent] = await Promise.all([login(`admin@${slug}.test`), login(`agent01@${slug}.test`)]);
  return { slug, ...facts, adminToken: admin.token, agentToken: agent.token };
}

function timer(serverUrl: string): Timed {
  return async (path, token) => {
    const started = performance.now();
    const response = await fetch(`${serverUrl}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) return { ms, status: response.status, items: 0, nextCursor: null };
    const body = JSON.parse(text) as { items?: unknown[]; nextCursor?: string | null };
    return {
      ms,
      status: response.status,
      items: body.items?.length ?? 0,
      nextCursor: body.nextCursor ?? null,
    };
  };
}

/** Runs `count` samples' worth of the kind over the tenants, `concurrency` at a time; `seed` varies the draws. */
async function drive(
  kind: Kind,
  tenants: BenchTenant[],
  timed: Timed,
  count: number,
  concurrency: number,
  seed: number,
) {
  const samples: Array<Sample & { tenant: string }> = [];
  await mapLimit(
    Array.from({ length: concurrency }, (_, w) => w),
    concurrency,
    async (w) => {
      const random = seeded(7919 * (w + 1) + 104_729 * seed + kind.name.length);
      while (samples.length < count) {
        const tenant = tenants[Math.floor(random() * tenants.length)]!;
        for (const s of await kind.run(tenant, random, timed)) samples.push({ ...s, tenant: tenant.slug });
      }
    },
  );
  return samples.slice(0, count);
}

interface Collected {
  kind: Kind;
  samples: Array<Sample & { tenant: string }>;
  seconds: number;
  cpu: CpuShares[];
}

/**
 * The kinds that answer (a 404 means the route is not there yet), each warmed up. Then `rounds` rounds, each
 * timing a share of every kind's requests in turn: a burst of other work on the machine falls on all kinds alike
 * instead of spoiling one.
 */
async function measure(ctx: Context, tenants: BenchTenant[], skipped: TicketsResult["skipped"]) {
  const { config, log } = ctx;
  const timed = timer(ctx.server.url);
  const active: Collected[] = [];
  for (const kind of kinds) {
    const probe = await kind.run(tenants[0]!, seeded(1), timed);
    if (probe.some((s) => s.status === 404)) {
      skipped.push({ kind: kind.name, why: `the server answered ${kind.about} with 404` });
      log(`tickets: ${kind.name}: skipped, the server answers 404`);
      continue;
    }
    await drive(kind, tenants, timed, config.warmup, config.concurrency, 0);
    active.push({ kind, samples: [], seconds: 0, cpu: [] });
  }
  const deadline = Date.now() + config.stageLimitMs;
  const perRound = Math.ceil(config.requests / config.rounds);
  for (let turn = 1; turn <= config.rounds; turn++) {
    if (Date.now() > deadline) {
      skipped.push({ kind: `rounds ${turn}–${config.rounds}`, why: "the stage ran out of time" });
      break;
    }
    for (const c of active) {
      const count = Math.min(perRound, config.requests - c.samples.length);
      // The requests come from this process: its CPU is the load generator's, not other work's.
      const meter = cpuMeter(ctx.server.pid, [process.pid], ctx.dbName);
      const started = performance.now();
      c.samples.push(...(await drive(c.kind, tenants, timed, count, config.concurrency, turn)));
      c.seconds += (performance.now() - started) / 1000;
      c.cpu.push(meter());
    }
    log(`tickets: round ${turn} of ${config.rounds} done`);
  }
  return active.map((c) => summarise(c.kind, c.samples, c.seconds, mergeCpu(c.cpu)));
}

export async function ticketsStage(ctx: Context): Promise<TicketsResult> {
  const { config, log } = ctx;
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const database = await describeDatabase(client, ctx.dbName);
    log(
      `tickets: ${ctx.dbName}: ${database.tenants} tenants, ${database.tickets.toLocaleString("en")} tickets, ` +
        `~${database.messages.toLocaleString("en")} messages, ${(database.bytes / 2 ** 30).toFixed(1)} GiB`,
    );
    const api = new Api(ctx.server.url);
    const tenants: BenchTenant[] = [];
    for (const slug of config.tenants.length ? config.tenants : await defaultTenants(client))
      tenants.push(await prepareTenant(api, client, slug));
    log(
      `tickets: signed in as staff of ${tenants.map((t) => `${t.slug} (${t.tickets} tickets)`).join(", ")}`,
    );
    const skipped: TicketsResult["skipped"] = [];
    const results = await measure(ctx, tenants, skipped);
    for (const r of results)
      log(
        `tickets: ${r.kind}: p50/p95/p99 ${r.latencyMs.p50}/${r.latencyMs.p95}/${r.latencyMs.p99} ms, ` +
          `${r.perSecond}/s, ${r.meanItems} items, errors ${JSON.stringify(r.errors)}, cpu server ${r.cpu.server}% ` +
          `pg ${r.cpu.postgres}% client ${r.cpu.load}% other ${r.cpu.other}%`,
      );
    return {
      database,
      tenants: tenants.map((t) => ({ slug: t.slug, tickets: t.tickets })),
      kinds: results,
      skipped,
    };
  } finally {
    await client.end();
  }
}
