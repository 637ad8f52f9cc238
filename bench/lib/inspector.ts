import WebSocket from "ws";

export interface ServerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

type Call = (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A session on the server's inspector (loopback only), closed when `fn` ends. */
async function withInspector<T>(port: number, timeoutMs: number, fn: (call: Call) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal })).json()) as Array<{
    webSocketDebuggerUrl?: string;
  }>;
  const target = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!target) throw new Error("the server's inspector lists no target");
  const socket = new WebSocket(target, { maxPayload: 512 * 2 ** 20 });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      signal.addEventListener("abort", () => reject(new Error("inspector did not answer")));
    });
    let nextId = 1;
    const call: Call = (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const onMessage = (data: WebSocket.RawData) => {
          const reply = JSON.parse(data.toString()) as {
            id?: number;
            result?: Record<string, unknown>;
            error?: { message: string };
          };
          if (reply.id !== id) return;
          socket.off("message", onMessage);
          if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
          else resolve(reply.result ?? {});
        };
        socket.on("message", onMessage);
        signal.addEventListener("abort", () => reject(new Error(`${method}: no answer`)));
        socket.send(JSON.stringify({ id, method, params }));
      });
    return await fn(call);
  } finally {
    socket.close();
  }
}

/**
 * A full garbage collection, then process.memoryUsage(), through the server's inspector. Nothing else is done
 * with it; the server's code is not changed for the benchmark.
 */
export function collectAndMeasure(inspectorPort: number, timeoutMs = 15_000): Promise<ServerMemory> {
  return withInspector(inspectorPort, timeoutMs, async (call) => {
    await call("HeapProfiler.enable");
    await call("HeapProfiler.collectGarbage");
    await new Promise((r) => setTimeout(r, 200));
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.disable");
    const evaluated = await call("Runtime.evaluate", {
      expression: "JSON.stringify(process.memoryUsage())",
      returnByValue: true,
    });
    const value = (evaluated.result as { value?: unknown } | undefined)?.value;
    if (typeof value !== "string") throw new Error("the inspector returned no memory figures");
    return JSON.parse(value) as ServerMemory;
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Share of samples by where the code comes from: the app, a package, Node itself, idle, GC. */
  byOrigin: Array<{ origin: string; percent: number }>;
  topFunctions: Array<{ fn: string; percent: number }>;
}

/** Samples the server's CPU for `ms` (BENCH_PROFILE=1): what it spends its time on, summarised. */
export function profileServer(inspectorPort: number, ms: number): Promise<ProfileSummary> {
  return withInspector(inspectorPort, ms + 60_000, async (call) => {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: 500 });
    await call("Profiler.start");
    await new Promise((r) => setTimeout(r, ms));
    const { profile } = (await call("Profiler.stop")) as { profile: { nodes: ProfileNode[] } };
    await call("Profiler.disable");
    const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    const origin = (url: string, name: string) => {
      if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") return name;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      if (pkg) return pkg;
      if (url.includes("/src/"))
        return `app ${url
          .slice(url.indexOf("/src/") + 1)
          .split("/")
          .slice(0, 3)
          .join("/")}`;
      if (url.startsWith("node:") || !url) return "node internals";
      return url;
    };
    const byOrigin = new Map<string, number>();
    const byFn = new Map<string, number>();
    for (const n of profile.nodes) {
      const hits = n.hitCount ?? 0;
      if (!hits) continue;
      const { functionName, url, lineNumber } = n.callFrame;
      const o = origin(url, functionName);
      byOrigin.set(o, (byOrigin.get(o) ?? 0) + hits);
      const where = url
        ? `${url.replace(/^.*node_modules\//, "").replace(/^.*\/src\//, "src/")}:${lineNumber + 1}`
        : "";
      const key = `${functionName || "(anonymous)"} ${where}`.trim();
      byFn.set(key, (byFn.get(key) ?? 0) + hits);
    }
    const top = (m: Map<string, number>, n: number) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, Math.round((v / total) * 1000) / 10] as const);
    return {
      sampledMs: ms,
      byOrigin: top(byOrigin, 15).map(([origin, percent]) => ({ origin, percent })),
      topFunctions: top(byFn, 25).map(([fn, percent]) => ({ fn, percent })),
    };
  });
}

interface SampledProfile {
  nodes: Array<ProfileNode & { children?: number[] }>;
  samples?: number[];
  timeDeltas?: number[];
}

export interface InclusiveProfile {
  /** Wall time the profiler ran. */
  sampledMs: number;
  /** Time the server's thread was busy (not idle) meanwhile. */
  busyMs: number;
  /** Per function name: time with that function on the stack (its callees included). */
  inclusiveMs: Record<string, number>;
}

/**
 * Samples the server's CPU while `run` goes on and tells how long the named functions were on the stack, callees
 * included: e.g. how long the emitting loop of one queue announcement kept the server busy.
 */
export async function profileWhile<T>(
  inspectorPort: number,
  functionNames: string[],
  run: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<{ result: T; profile: InclusiveProfile }> {
  return withInspector(inspectorPort, timeoutMs, async (call) => {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: 200 });
    await call("Profiler.start");
    const started = performance.now();
    // Should `run` fail, closing the inspector session ends the profiling too.
    const result = await run();
    const sampledMs = performance.now() - started;
    const { profile } = (await call("Profiler.stop")) as { profile: SampledProfile };
    await call("Profiler.disable");
    const parent = new Map<number, number>();
    const byId = new Map<number, ProfileNode>();
    for (const n of profile.nodes) {
      byId.set(n.id, n);
      for (const c of n.children ?? []) parent.set(c, n.id);
    }
    const inclusive = new Map(functionNames.map((f) => [f, 0]));
    let busy = 0;
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    samples.forEach((leaf, i) => {
      // A sample's time is the gap to the next one.
      const us = deltas[i + 1] ?? 0;
      const leafName = byId.get(leaf)?.callFrame.functionName ?? "";
      if (leafName === "(idle)" || leafName === "(program)") return;
      busy += us;
      const seen = new Set<string>();
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const name = byId.get(id)?.callFrame.functionName ?? "";
        const sofar = inclusive.get(name);
        if (sofar !== undefined && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, sofar + us);
        }
      }
    });
    return {
      result,
      profile: {
        sampledMs: Math.round(sampledMs),
        busyMs: Math.round(busy / 100) / 10,
        inclusiveMs: Object.fromEntries([...inclusive].map(([k, v]) => [k, Math.round(v / 100) / 10])),
      },
    };
  });
}
