/** The tickets stage's figures: per kind of request, the verdicts against the targets, and the printed summary. */
import type { CpuShares } from "./cpu";
import { type Percentiles, percentiles, round, table } from "./stats";
import type { Kind, Sample } from "./tickets-requests";

export const ticketsTargets = { list: 50, search: 200, stats: 100 } as const;

export interface KindResult {
  kind: string;
  group: Kind["group"];
  about: string;
  latencyMs: Percentiles;
  perTenantP99Ms: Record<string, number>;
  errors: Record<string, number>;
  meanItems: number;
  perSecond: number;
  cpu: CpuShares;
}

export interface TicketsResult {
  database: { name: string; bytes: number; tenants: number; tickets: number; messages: number };
  tenants: Array<{ slug: string; tickets: number }>;
  kinds: KindResult[];
  skipped: Array<{ kind: string; why: string }>;
}

/** CPU shares of several rounds as one, each round weighing its duration. */
export function mergeCpu(parts: CpuShares[]): CpuShares {
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  const mean = (k: keyof CpuShares) =>
    round(parts.reduce((n, p) => n + p[k] * p.seconds, 0) / Math.max(seconds, 0.001), 1);
  return {
    server: mean("server"),
    postgres: mean("postgres"),
    load: mean("load"),
    machine: mean("machine"),
    other: mean("other"),
    seconds: round(seconds, 2),
  };
}

export function summarise(
  kind: Kind,
  samples: Array<Sample & { tenant: string }>,
  seconds: number,
  cpu: CpuShares,
) {
  const errors: Record<string, number> = {};
  const byTenant = new Map<string, number[]>();
  for (const s of samples) {
    if (s.status !== 200) errors[s.status] = (errors[s.status] ?? 0) + 1;
    byTenant.set(s.tenant, [...(byTenant.get(s.tenant) ?? []), s.ms]);
  }
  return {
    kind: kind.name,
    group: kind.group,
    about: kind.about,
    latencyMs: percentiles(samples.map((s) => s.ms)),
    perTenantP99Ms: Object.fromEntries([...byTenant].map(([slug, ms]) => [slug, percentiles(ms).p99])),
    errors,
    meanItems: round(samples.reduce((n, s) => n + s.items, 0) / Math.max(samples.length, 1), 1),
    perSecond: round(samples.length / seconds, 1),
    cpu,
  };
}

/** A kind's worst p99: over all its requests, or within one tenant (the largest tenant must be served too). */
function worstP99(k: KindResult): { ms: number; where: string } {
  let worst = { ms: k.latencyMs.p99, where: "overall" };
  for (const [slug, ms] of Object.entries(k.perTenantP99Ms)) if (ms > worst.ms) worst = { ms, where: slug };
  return worst;
}

/** One verdict per group: every kind of it within the target, overall and in each tenant, and no errors. */
export function ticketsVerdicts(r: TicketsResult | { error: string }) {
  return (Object.keys(ticketsTargets) as Array<keyof typeof ticketsTargets>).map((group) => {
    const target = `tickets ${group}: p99 ≤ ${ticketsTargets[group]} ms (each kind, each tenant)`;
    if ("error" in r) return { target, value: `failed: ${r.error}`, met: false };
    const mine = r.kinds.filter((k) => k.group === group);
    if (!mine.length) return { target, value: "not measured", met: false };
    const judged = mine.map((k) => ({ kind: k.kind, overall: k.latencyMs.p99, ...worstP99(k) }));
    const worst = judged.reduce((a, b) => (b.ms > a.ms ? b : a));
    const errors = mine.reduce((n, k) => n + Object.values(k.errors).reduce((a, b) => a + b, 0), 0);
    return {
      target,
      value:
        `worst ${worst.kind} p99 ${worst.ms} ms (${worst.where}); overall ` +
        `${judged.map((k) => `${k.kind} ${k.overall}`).join(", ")}; ${errors} errors`,
      met: worst.ms <= ticketsTargets[group] && errors === 0,
    };
  });
}

export function ticketsSummary(r: TicketsResult | { error: string }): string {
  if ("error" in r) return `Tickets stage failed: ${r.error}`;
  const rows = r.kinds.map((k) => [
    k.kind,
    k.latencyMs.count,
    k.latencyMs.p50,
    k.latencyMs.p95,
    k.latencyMs.p99,
    k.latencyMs.max,
    k.perSecond,
    k.meanItems,
    Object.values(k.errors).reduce((a, b) => a + b, 0),
    `${k.cpu.server}/${k.cpu.postgres}/${k.cpu.load}/${k.cpu.other}`,
  ]);
  const head = [
    "kind",
    "requests",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "per s",
    "items",
    "errors",
    "cpu srv/pg/client/other %",
  ];
  const skipped = r.skipped.map((s) => `skipped ${s.kind}: ${s.why}`);
  return [`Tickets (${r.database.tickets.toLocaleString("en")} tickets)`, table(head, rows), ...skipped].join(
    "\n",
  );
}
