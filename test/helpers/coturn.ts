import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./process";

/** Whether Debian's coturn is installed (CI installs it; locally the tests that need it skip). */
export const coturnAvailable =
  spawnSync("sh", ["-c", "command -v turnserver && command -v turnutils_uclient"], { stdio: "ignore" })
    .status === 0;

export interface Coturn {
  host: string;
  port: number;
  /** The shared secret of coturn's `use-auth-secret` (the TURN REST scheme). */
  secret: string;
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * A private coturn on loopback for one test file: REST-scheme authentication only, no TLS, every peer address
 * denied except 127.0.0.1 (so a relay can reach nothing but the test's own processes).
 */
export async function startCoturn(timeoutMs = 15_000): Promise<Coturn> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-coturn-"));
  const port = await freePort();
  const secret = randomBytes(24).toString("hex");
  const child: ChildProcess = spawn(
    "turnserver",
    [
      // -n: no configuration file, so the machine's /etc/turnserver.conf cannot change what is tested.
      "-n",
      "--log-file=stdout",
      "--simple-log",
      "--verbose",
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=switchboard.test",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--denied-peer-ip=0.0.0.0-255.255.255.255",
      "--allowed-peer-ip=127.0.0.1",
      // coturn 4.6 refuses loopback peers before the allow list; the allow list above keeps it to 127.0.0.1.
      "--allow-loopback-peers",
      `--userdb=${join(dir, "turndb")}`,
      `--pidfile=${join(dir, "turnserver.pid")}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGTERM");
    const killer = setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(killer);
    await rm(dir, { recursive: true, force: true });
  };
  // Ready once its database is open, which it logs after the listeners and relay ports are set up.
  const deadline = Date.now() + timeoutMs;
  while (!/DB connection success/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host: "127.0.0.1", port, secret, pid: child.pid!, output: () => output, stop };
}

export interface AllocationResult {
  ok: boolean;
  output: string;
}

/**
 * Allocates a relay with coturn's own client and sends a few messages through it (two clients relaying to each
 * other), bounded in time. ok is true only when coturn accepted the credential and data came back.
 */
export function allocateRelay(
  turn: Pick<Coturn, "host" | "port">,
  username: string,
  credential: string,
  timeoutMs = 20_000,
): Promise<AllocationResult> {
  const args = ["-v", "-y", "-c", "-n", "2", "-z", "5", "-p", String(turn.port)];
  args.push("-u", username, "-w", credential, turn.host);
  return new Promise((resolve) => {
    execFile("turnutils_uclient", args, { timeout: timeoutMs, killSignal: "SIGKILL" }, (error, out, err) => {
      const output = `${out}${err}`;
      const relayed = /tot_recv_msgs=([1-9]\d*)/.test(output);
      resolve({ ok: !error && relayed && /Received relay addr/.test(output), output });
    });
  });
}
