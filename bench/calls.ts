/**
 * `BENCH_ONLY=calls npm run bench`: how long a browser call takes to carry sound. For each mode (direct, and
 * relay-only through a private coturn on loopback) the real server runs on its own embedded database, a customer
 * and an agent sit in two Chromium pages with the fake microphone, and N calls are made one after another, the
 * same two pages throughout. Measured in the pages, on the machine's one clock (performance.timeOrigin + now()):
 * from the moment the agent's `POST /calls/:id/answer` resolves to the first getStats() poll (every 10 ms) whose
 * inbound-rtp audio has packetsReceived > 0, on each side.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../e2e/support/browser";
import { signIn, waitForPath } from "../e2e/support/journey";
import { ensureWebBuild } from "../src/server/web-build";
import { type Coturn, coturnAvailable, startCoturn } from "../test/helpers/coturn";
import { type BenchServer, freePort, startServer } from "./lib/server";
import { round, table } from "./lib/stats";

export const callTargets = { directMs: 500, relayMs: 800 };
type Mode = "direct" | "relay";
type Side = "customer" | "agent";

export interface CallsConfig {
  calls: number;
  pollMs: number;
}
interface Spread {
  n: number;
  p50: number;
  p95: number;
  max: number;
}
export interface ModeResult {
  mode: Mode;
  calls: number;
  failed: number;
  errors: string[];
  /** Per call, ms from the answer resolving to the first audio packet on each side. */
  samples: Array<Record<Side, number> & { paths: string }>;
  customer: Spread;
  agent: Spread;
  /** The click on "Answer" to the answer resolving, for context. */
  answerRequest: Spread;
}
export type CallsResult = { modes: Array<ModeResult | { mode: Mode; error: string }> };

const fakeMicrophone = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
];
const wait = { timeout: 20_000 };

function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
  return {
    n: s.length,
    p50: round(at(0.5), 1),
    p95: round(at(0.95), 1),
    max: round(s.at(-1) ?? Number.NaN, 1),
  };
}

/**
 * Added to every page before the app loads (the app itself is unchanged). A string, not a function: tsx's
 * name-keeping helpers would not exist inside the page.
 */
function instrument(page: Page, pollMs: number) {
  return page.addInitScript(`(() => {
    const now = () => performance.timeOrigin + performance.now();
    const mark = { pcs: 0 };
    window.__bench = mark;
    const originalFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const res = await originalFetch(input, init);
      if (init && init.method === "POST" && /\\/calls\\/[^/]+\\/answer$/.test(url)) mark.answered = now();
      return res;
    };
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(config) {
        super(config);
        const mine = ++mark.pcs;
        // One poll at a time, ${pollMs} ms after the previous one finished, until this connection hears audio.
        const poll = async () => {
          if (mine !== mark.pcs || this.connectionState === "closed") return;
          const stats = await this.getStats();
          const t = now();
          for (const r of stats.values())
            if (r.type === "inbound-rtp" && r.kind === "audio" && r.packetsReceived > 0) {
              if (mark.firstAudio === undefined) mark.firstAudio = t;
              // Which path the audio took: the local candidate type of the selected pair ("relay" through TURN).
              const byId = new Map([...stats.values()].map((x) => [x.id, x]));
              const transport = [...stats.values()].find((x) => x.type === "transport");
              const pair = transport && byId.get(transport.selectedCandidatePairId);
              mark.path = pair && byId.get(pair.localCandidateId)?.candidateType;
              return;
            }
          setTimeout(poll, ${pollMs});
        };
        setTimeout(poll, ${pollMs});
      }
    };
  })();`);
}

type Mark = { answered?: number; firstAudio?: number; path?: string };
const readMark = (page: Page): Promise<Mark> =>
  page.evaluate(() => {
    const m = (window as unknown as { __bench: Mark }).__bench;
    return { answered: m.answered, firstAudio: m.firstAudio, path: m.path };
  });
const clearMark = (page: Page) =>
  page.evaluate(() => {
    const m = (window as unknown as { __bench: Mark }).__bench;
    m.answered = undefined;
    m.firstAudio = undefined;
    m.path = undefined;
  });

async function api(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  tenant?: string,
) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(tenant ? { "x-tenant": tenant } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}
const login = async (url: string, email: string, tenant?: string) =>
  (
    await api(url, "POST", "/auth/login", undefined, {
      ...(tenant ? { tenant } : {}),
      email,
      password: "demo-password-1",
    })
  ).token as string;

async function oneCall(
  customer: Page,
  agent: Page,
): Promise<{ customer: number; agent: number; request: number; paths: string }> {
  await Promise.all([clearMark(customer), clearMark(agent)]);
  let step = "the customer calls";
  try {
    return await steps(customer, agent, (s) => {
      step = s;
    });
  } catch (err) {
    throw new Error(`${step}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
}

async function steps(customer: Page, agent: Page, at: (step: string) => void) {
  await customer.getByTestId("call-us").click(wait);
  at("the agent's call toast");
  const toast = agent.getByTestId("call-toast");
  await toast.waitFor(wait);
  const clicked = await agent.evaluate(() => performance.timeOrigin + performance.now());
  await toast.getByTestId("call-answer").click();
  const deadline = Date.now() + 15_000;
  let c: Mark = {};
  let a: Mark = {};
  while (Date.now() < deadline) {
    [c, a] = await Promise.all([readMark(customer), readMark(agent)]);
    if (c.firstAudio && a.firstAudio && a.answered) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  at("the agent hangs up");
  await agent.getByTestId("call-hang-up").click(wait);
  at("the customer sees the call end");
  await customer.getByTestId("call-ended").waitFor(wait);
  at("the agent dismisses the ended call");
  await agent.getByTestId("call-dismiss").click(wait);
  if (!c.firstAudio || !a.firstAudio || !a.answered) throw new Error("no audio within 15 s of the answer");
  return {
    customer: c.firstAudio - a.answered,
    agent: a.firstAudio - a.answered,
    request: a.answered - clicked,
    paths: `${c.path}/${a.path}`,
  };
}

/**
 * Waits until the server has closed the previous call (both hang-up reports in): a call placed while the agent
 * still counts as on a call is not rung at her, which is not what is measured here.
 */
async function previousCallOver(url: string, token: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { items } = (await api(url, "GET", "/calls", token)) as { items: Array<{ status: string }> };
    if (!items.some((c) => ["queued", "ringing", "active"].includes(c.status))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runMode(mode: Mode, config: CallsConfig, log: (s: string) => void): Promise<ModeResult> {
  let server: BenchServer | undefined;
  let turn: Coturn | undefined;
  let browser: Browser | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "sb-bench-calls-"));
  try {
    if (mode === "relay") turn = await startCoturn();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = await startServer({
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      SEED_DEMO: "auto",
      REDIS_URL: "",
      TURN_RELAY_ONLY: mode === "relay" ? "true" : "false",
    });
    if (turn) {
      const root = await login(url, "root@switchboard.test");
      const iceServers = [{ urls: `turn:${turn.host}:${turn.port}?transport=udp`, secret: turn.secret }];
      await api(url, "PATCH", "/settings", root, { iceServers }, "acme");
    }
    browser = await launchBrowser(fakeMicrophone);
    const open = async (email: string, home: string) => {
      const page = await (await browser!.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await instrument(page, config.pollMs);
      await signIn(page, url, { tenant: "acme", email });
      await waitForPath(page, home);
      return page;
    };
    const customer = await open("john@acme.test", "/portal");
    const agent = await open("sarah@acme.test", "/console");
    // Online once her console is connected, as an agent starting a shift would be.
    const sarah = await login(url, "sarah@acme.test", "acme");
    await api(url, "PATCH", "/me/availability", sarah, { status: "online" });
    const samples: ModeResult["samples"] = [];
    const requests: number[] = [];
    const errors: string[] = [];
    // One untimed call first: the first getUserMedia and ICE gathering in a fresh browser are slower.
    for (let i = -1; i < config.calls; i++) {
      try {
        await previousCallOver(url, sarah);
        const r = await oneCall(customer, agent);
        if (i >= 0) {
          samples.push({ customer: round(r.customer, 1), agent: round(r.agent, 1), paths: r.paths });
          requests.push(r.request);
        }
      } catch (err) {
        errors.push(err instanceof Error ? err.message.split("\n")[0]! : String(err));
        await Promise.all([customer.reload(), agent.reload()]);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    log(`calls: ${mode}: ${samples.length} of ${config.calls} calls measured`);
    return {
      mode,
      calls: config.calls,
      failed: config.calls - samples.length,
      errors,
      samples,
      customer: spread(samples.map((s) => s.customer)),
      agent: spread(samples.map((s) => s.agent)),
      answerRequest: spread(requests),
    };
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    await turn?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function callsStage(config: CallsConfig, log: (s: string) => void): Promise<CallsResult> {
  await ensureWebBuild({ info: log });
  const modes: CallsResult["modes"] = [];
  const wanted = (process.env.BENCH_CALLS_MODES ?? "direct,relay").split(",");
  for (const mode of (["direct", "relay"] as const).filter((m) => wanted.includes(m))) {
    if (mode === "relay" && !coturnAvailable) {
      modes.push({ mode, error: "turnserver is not installed (apt-get install coturn)" });
      continue;
    }
    log(`calls: ${config.calls} calls, ${mode}`);
    try {
      modes.push(await runMode(mode, config, log));
    } catch (err) {
      modes.push({ mode, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { modes };
}

const targetOf = (mode: Mode) => (mode === "direct" ? callTargets.directMs : callTargets.relayMs);

export function callsVerdicts(r: CallsResult): Array<{ target: string; value: string; met: boolean }> {
  return r.modes.map((m) => {
    const target = `${m.mode} call: answer → first audio on each side, p95 ≤ ${targetOf(m.mode)} ms`;
    if ("error" in m) return { target, value: `failed: ${m.error}`, met: false };
    const worst = Math.max(m.customer.p95, m.agent.p95);
    return {
      target,
      value: `customer p95 ${m.customer.p95} ms, agent p95 ${m.agent.p95} ms, ${m.failed} of ${m.calls} failed`,
      met: m.failed === 0 && worst <= targetOf(m.mode),
    };
  });
}

export function callsSummary(r: CallsResult): string {
  const rows: Array<Array<string | number>> = [];
  for (const m of r.modes) {
    if ("error" in m) {
      rows.push([m.mode, "-", `failed: ${m.error.split("\n")[0]}`, "", "", "", "", ""]);
      continue;
    }
    for (const side of ["customer", "agent"] as const) {
      const s = m[side];
      const met = s.p95 <= targetOf(m.mode) && m.failed === 0;
      const paths = [...new Set(m.samples.map((x) => x.paths))].join(" ");
      rows.push([m.mode, side, s.n, s.p50, s.p95, s.max, met ? "met" : "NOT MET", paths]);
    }
  }
  return [
    "Browser calls: agent's answer resolved → first inbound audio packet (getStats)",
    table(
      [
        "mode",
        "side",
        "calls",
        "p50 ms",
        "p95 ms",
        "max ms",
        `target (≤ ${callTargets.directMs}/${callTargets.relayMs} ms)`,
        "candidates (customer/agent)",
      ],
      rows,
    ),
  ].join("\n");
}
