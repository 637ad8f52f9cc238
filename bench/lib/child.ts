import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CommandName, LoadCommand, LoadResults, Reply } from "./protocol";

/** Every process this run started, so a failure or Ctrl-C stops exactly these and nothing else. */
export const started = new Set<{ name: string; stop(): Promise<void> }>();

/** Waits for a child to exit: a polite signal first, SIGKILL if it does not go within `graceMs`. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A load generator: bench/load.ts in its own Node process (`node --import tsx`), driven over IPC. */
export class LoadChild {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private exitError: Error | undefined;
  private readonly entry: { name: string; stop(): Promise<void> };

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on("message", (raw) => {
      const reply = raw as Reply;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      clearTimeout(waiting.timer);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new Error(`${name}: ${reply.error}`));
    });
    child.once("exit", (code, signal) => {
      this.exitError = new Error(`${name} exited (code ${code}, signal ${signal})`);
      for (const waiting of this.pending.values()) {
        clearTimeout(waiting.timer);
        waiting.reject(this.exitError);
      }
      this.pending.clear();
    });
    this.entry = { name, stop: () => this.stop() };
    started.add(this.entry);
  }

  static start(name: string, script: string, extraNodeArgs: string[] = []): LoadChild {
    const child = fork(fileURLToPath(new URL(`../${script}`, import.meta.url)), [], {
      execArgv: [...extraNodeArgs, "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, BENCH_CHILD: name },
    });
    return new LoadChild(name, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<C extends CommandName>(
    command: Extract<LoadCommand, { cmd: C }>,
    timeoutMs: number,
  ): Promise<LoadResults[C]> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<LoadResults[C]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${command.cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ ...command, id });
    });
  }

  async stop(): Promise<void> {
    started.delete(this.entry);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      if (this.child.connected) await this.request({ cmd: "close" }, 5000);
    } catch {
      // it is stopped by signal below
    }
    await stopProcess(this.child, "SIGTERM", 3000);
  }
}
