import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second for /proc times; 100 on Linux for all practical purposes. */
const ticksPerSecond = 100;

/** CPU seconds (user + system) a process has used, or 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of PostgreSQL working for `database`, per process: its backends (and autovacuum workers there) plus
 * the shared processes (postmaster, WAL writer, checkpointer…). Backends of other databases are left out.
 */
export function postgresCpuByPid(database: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      const backend = /\(\d+\)|\[local\]|autovacuum worker/.test(title);
      if (backend && !(database && (title.includes(` ${database} `) || title.endsWith(` ${database}`))))
        continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / ticksPerSecond);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU used since `before`, process by process: a process started since counts in full, one that ended since is
 * lost (its last figures cannot be read), so short-lived backends make this a slight underestimate.
 */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += Math.max(0, cpu - (before.get(pid) ?? 0));
  return total;
}

/** Busy and total CPU seconds of the whole machine, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const [, ...values] = line.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { busy: (total - idle) / ticksPerSecond, total: total / ticksPerSecond };
}

export interface CpuShares {
  /** Percent of one core; 200 is both cores of this machine. */
  server: number;
  /** PostgreSQL for the benchmark's database only. */
  postgres: number;
  /** The load generators. */
  load: number;
  /** Everything busy on the machine. */
  machine: number;
  /** What none of the above used: other work on the machine, which makes the step's figures pessimistic. */
  other: number;
  /** Wall-clock seconds the shares are over. */
  seconds: number;
}

/** Starts a measurement; the returned function gives each party's CPU share since then. */
export function cpuMeter(
  serverPid: number | undefined,
  loadPids: number[],
  database: string | undefined,
): () => CpuShares {
  const wall = performance.now();
  const server0 = serverPid ? cpuSecondsOf(serverPid) : 0;
  const pg0 = postgresCpuByPid(database);
  const load0 = loadPids.reduce((s, p) => s + cpuSecondsOf(p), 0);
  const machine0 = machineCpuSeconds();
  return () => {
    const seconds = (performance.now() - wall) / 1000;
    const pct = (cpu: number) => Math.max(0, Math.round((cpu / seconds) * 1000) / 10);
    const server = pct((serverPid ? cpuSecondsOf(serverPid) : 0) - server0);
    const postgres = pct(cpuSince(pg0, postgresCpuByPid(database)));
    const load = pct(loadPids.reduce((s, p) => s + cpuSecondsOf(p), 0) - load0);
    const machine = pct(machineCpuSeconds().busy - machine0.busy);
    const other = Math.max(0, Math.round((machine - server - postgres - load) * 10) / 10);
    return { server, postgres, load, machine, other, seconds: Math.round(seconds * 100) / 100 };
  };
}
