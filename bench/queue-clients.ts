/**
 * Waiting customers for the queue stage: a child process of bench/run.ts (`node --import tsx`), driven over IPC.
 * Each socket is one customer with one queued chat; every queue:position it receives is timestamped on arrival
 * with this process's clock (performance.timeOrigin + performance.now()), which the orchestrator calibrates
 * against its own. Several of these processes share the customers, so the clients' CPU is spread and counted
 * apart from the server's.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { QueuePosition } from "../src/protocol/events";
import type { LoadCommand, LoadResults, QueueCollectResult, WaitingCustomer } from "./lib/protocol";
import { serveRequests } from "./lib/serve";
import { type ClientSocket, connect, connectMany, count } from "./lib/sockets";
import { round } from "./lib/stats";

const clock = () => performance.timeOrigin + performance.now();

interface Waiting {
  conversationId: string;
  socket: ClientSocket;
  /** Since the last arm: arrival time and position, flattened (t0, p0, t1, p1…). */
  log: number[];
  /** The place the last change should have given this chat; undefined when not expected to move. */
  expected: number | undefined;
  arrivedAt: number | undefined;
}

const waiting: Waiting[] = [];
const byConversation = new Map<string, Waiting>();
const disconnects: Record<string, number> = {};
let armed = false;
let receivedSinceArm = 0;
let positionsReceived = 0;
let outstanding = 0;
let wake: (() => void) | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });

function onPosition(entry: Waiting, place: QueuePosition) {
  const t = clock();
  positionsReceived++;
  if (place.conversationId !== entry.conversationId) return;
  if (!armed) return;
  receivedSinceArm++;
  entry.log.push(t, place.position);
  if (entry.arrivedAt === undefined && entry.expected === place.position) {
    entry.arrivedAt = t;
    if (--outstanding === 0) wake?.();
  }
}

async function queueConnect(command: Extract<LoadCommand, { cmd: "queue:connect" }>) {
  const customers: WaitingCustomer[] = command.customers;
  const { sockets, result } = await connectMany(customers.length, command.batch, (i) =>
    connect(command.url, customers[i]!.token, command.timeoutMs),
  );
  sockets.forEach((socket, i) => {
    if (!socket) return;
    const entry: Waiting = {
      conversationId: customers[i]!.conversationId,
      socket,
      log: [],
      expected: undefined,
      arrivedAt: undefined,
    };
    socket.on("queue:position", (place) => {
      if ("conversationId" in place) onPosition(entry, place);
    });
    socket.on("disconnect", (reason) => count(disconnects, reason));
    waiting.push(entry);
    byConversation.set(entry.conversationId, entry);
  });
  return result;
}

/** From now on arrivals are kept: the change is about to be made. */
function arm() {
  for (const entry of waiting) {
    entry.log = [];
    entry.expected = undefined;
    entry.arrivedAt = undefined;
  }
  receivedSinceArm = 0;
  outstanding = 0;
  loopDelay.reset();
  loopDelay.enable();
  armed = true;
}

/**
 * After the change committed: each listed chat's new place. An update counts from the first queue:position since
 * the arm that names exactly that place; waits for the rest until all have it or the time is up.
 */
async function collect(expected: Array<[string, number]>, timeoutMs: number): Promise<QueueCollectResult> {
  const started = performance.now();
  const entries: Waiting[] = [];
  outstanding = 0;
  for (const [conversationId, position] of expected) {
    const entry = byConversation.get(conversationId);
    if (!entry) continue;
    entries.push(entry);
    entry.expected = position;
    for (let k = 0; k < entry.log.length; k += 2)
      if (entry.log[k + 1] === position) {
        entry.arrivedAt = entry.log[k];
        break;
      }
    if (entry.arrivedAt === undefined) outstanding++;
  }
  if (outstanding > 0)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  wake = undefined;
  armed = false;
  loopDelay.disable();
  const arrivals: number[] = [];
  let otherPlaceFirst = 0;
  for (const entry of entries) {
    if (entry.arrivedAt !== undefined) arrivals.push(entry.arrivedAt);
    if (entry.log.length && entry.log[1] !== entry.expected) otherPlaceFirst++;
  }
  return {
    expected: entries.length,
    arrivals,
    missing: entries.length - arrivals.length,
    otherPlaceFirst,
    received: receivedSinceArm,
    loopDelay: {
      p99Ms: round(loopDelay.percentile(99) / 1e6, 1),
      maxMs: round(loopDelay.max / 1e6, 1),
    },
    waitedMs: Math.round(performance.now() - started),
  };
}

async function handle(command: LoadCommand): Promise<unknown> {
  switch (command.cmd) {
    case "clock":
      return { now: clock() } satisfies LoadResults["clock"];
    case "queue:connect":
      return queueConnect(command);
    case "queue:arm":
      arm();
      return {};
    case "queue:collect":
      return collect(command.expected, command.timeoutMs);
    case "queue:status":
      return {
        connected: waiting.filter((w) => w.socket.connected).length,
        disconnects,
        positionsReceived,
      } satisfies LoadResults["queue:status"];
    case "close":
      setTimeout(() => {
        for (const w of waiting) w.socket.close();
        setTimeout(() => process.exit(0), 50).unref();
      }, 10);
      return {};
    default:
      throw new Error(`${command.cmd} is not handled by bench/queue-clients.ts`);
  }
}

serveRequests("bench/queue-clients.ts", handle);
