import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { started, stopProcess } from "./child";

/** The repository root: the server runs from there, as `npm start` does. */
export const root = fileURLToPath(new URL("../../", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface BenchServer {
  url: string;
  pid: number;
  /** The server's V8 inspector (loopback), used only to force a GC and read memory at measure points. */
  inspectorPort: number;
  output(): string;
  /** Why the server stopped, when it did so by itself (a crash): its exit and any fatal error it printed. */
  died(): string | undefined;
  stop(): Promise<void>;
}

/**
 * `npm start`'s entry point as its own process (the approach of test/helpers/process.ts), with the inspector on a
 * loopback port so the memory phase can collect garbage before it reads the heap.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<BenchServer> {
  // A caller may choose the port, when the server must know its own address up front (PUBLIC_URL).
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const inspectorPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [`--inspect=127.0.0.1:${inspectorPort}`, "--import", "tsx", "src/server/main.ts"],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: "",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        BUILD_WEB: "never",
        ...env,
      },
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let stopping = false;
  let exit: string | undefined;
  child.once("exit", (code, signal) => {
    exit = signal ? `signal ${signal}` : `code ${code}`;
  });
  const entry = {
    name: "server",
    stop: () => {
      stopping = true;
      return stopProcess(child, "SIGTERM", 12_000);
    },
  };
  started.add(entry);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready in ${timeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    inspectorPort,
    output: () => output,
    died() {
      if (!exit || stopping) return undefined;
      const fatal = /FATAL ERROR: ([^\n]+)/.exec(output)?.[1];
      return `the server exited (${exit})${fatal ? `: ${fatal}` : ""}`;
    },
    async stop() {
      started.delete(entry);
      await entry.stop();
    },
  };
}

/** Resident set size of a process in bytes, from /proc/<pid>/status. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Open file descriptors of a process: its sockets, mostly. */
export const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** A few figures of the server's Prometheus metrics; reading them resets its event-loop histogram. */
export async function metricsOf(url: string): Promise<Record<string, number>> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const wanted = [
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_eventloop_lag_max_seconds",
      "nodejs_eventloop_lag_mean_seconds",
      "nodejs_heap_size_used_bytes",
      "process_resident_memory_bytes",
    ];
    const out: Record<string, number> = {};
    for (const line of text.split("\n")) {
      const [name, value] = line.split(" ");
      if (name && wanted.includes(name)) out[name] = Number(value);
    }
    return out;
  } catch {
    return {};
  }
}
