import { createConnection } from "node:net";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Call } from "../src/protocol/call";
import { type ServerProcess, startServerProcess } from "./helpers/process";
import { connectSocket, next, request } from "./helpers/socket";
import { cloneDatabase, databaseUrl, dropDatabase } from "./helpers/templates";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function redisUp(): Promise<boolean> {
  const { hostname, port } = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

const onPostgres = inject("templates").kind === "postgres";
const haveRedis = await redisUp();
if (!onPostgres)
  console.log("calls across processes: two servers need a shared PostgreSQL; runs in the PostgreSQL pass");
if (onPostgres && !haveRedis && !process.env.CI)
  console.log(`calls scale-out: no Redis at ${redisUrl}; skipping`);

describe.skipIf(!onPostgres || (!haveRedis && !process.env.CI))(
  "voice calls across two server processes",
  () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it("rings, answers once, relays signals between processes, and misses an unanswered call exactly once", async () => {
      const name = await cloneDatabase(inject("templates").seeded);
      cleanups.push(() => dropDatabase(name));
      const env = {
        DATABASE_URL: databaseUrl(name),
        REDIS_URL: redisUrl,
        SEED_DEMO: "never",
        ROUTING_SWEEP_SECONDS: "1",
      };
      const [a, b] = (await Promise.all([startServerProcess(env), startServerProcess(env)])) as [
        ServerProcess,
        ServerProcess,
      ];
      cleanups.push(
        () => a.kill("SIGKILL"),
        () => b.kill("SIGKILL"),
      );
      const api = async (base: string, method: string, path: string, token?: string, body?: unknown) => {
        const res = await fetch(`${base}/api/v1${path}`, {
          method,
          headers: {
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return {
          status: res.status,
          body: (await res.json()) as Record<string, unknown> & { token?: string },
        };
      };
      const login = async (base: string, email: string) => {
        const res = await api(base, "POST", "/auth/login", undefined, {
          tenant: "acme",
          email,
          password: "demo-password-1",
        });
        return { token: res.body.token!, id: (res.body.user as { id: string }).id };
      };
      const john = await login(a.url, "john@acme.test");
      const jane = await login(a.url, "jane@acme.test");
      const sarah = await login(b.url, "sarah@acme.test");
      const mike = await login(a.url, "mike@acme.test");

      const johnS = await connectSocket(a.url, { token: john.token });
      const janeS = await connectSocket(a.url, { token: jane.token });
      const sarahS = await connectSocket(b.url, { token: sarah.token });
      const mikeS = await connectSocket(a.url, { token: mike.token });
      cleanups.push(...[johnS, janeS, sarahS, mikeS].map((s) => () => void s.close()));
      await api(b.url, "PATCH", "/me/availability", sarah.token, { status: "online" });
      await api(a.url, "PATCH", "/me/availability", mike.token, { status: "online" });

      // A call placed on A rings the agent connected to B.
      const sarahRung = next(sarahS, "call:incoming", () => true, 10_000);
      const mikeRung = next(mikeS, "call:incoming", () => true, 10_000);
      const created = await api(a.url, "POST", "/calls", john.token, {});
      expect(created.status).toBe(201);
      const call = created.body as unknown as Call;
      expect((await sarahRung).call.id).toBe(call.id);
      await mikeRung;

      // Both agents answer at once through different processes: one wins.
      const mikeHears = next(mikeS, "call:updated", (p) => p.call.status === "active", 10_000);
      const answers = await Promise.all([
        api(b.url, "POST", `/calls/${call.id}/answer`, sarah.token),
        api(a.url, "POST", `/calls/${call.id}/answer`, mike.token),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = answers[0]!.status === 200 ? { ...sarah, socket: sarahS } : { ...mike, socket: mikeS };
      expect((await mikeHears).call.agent?.id).toBe(winner.id);

      // Signals cross processes through the user rooms, both ways.
      const offer = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" };
      const offerAt = next(winner.socket, "call:signal", (p) => p.type === "offer", 10_000);
      expect(
        (await request(johnS, "call:signal", { callId: call.id, type: "offer", payload: offer })).ok,
      ).toBe(true);
      expect(await offerAt).toEqual({ callId: call.id, type: "offer", payload: offer, from: john.id });
      const answer = { type: "answer", sdp: "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n" };
      const answerAt = next(johnS, "call:signal", (p) => p.type === "answer", 10_000);
      expect(
        (await request(winner.socket, "call:signal", { callId: call.id, type: "answer", payload: answer }))
          .ok,
      ).toBe(true);
      expect((await answerAt).from).toBe(winner.id);
      // Relay time across the processes, one ICE candidate at a time (as a browser trickles them).
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const candidate = {
          candidate: `candidate:${i} 1 udp 2122260223 192.0.2.10 ${40000 + i} typ host`,
          sdpMid: "0",
        };
        const arrived = next(
          winner.socket,
          "call:signal",
          (p) => p.type === "ice" && p.payload?.candidate === candidate.candidate,
          10_000,
        );
        const started = performance.now();
        const sent = await request(johnS, "call:signal", {
          callId: call.id,
          type: "ice",
          payload: candidate,
        });
        expect(sent.ok).toBe(true);
        await arrived;
        times.push(performance.now() - started);
        // Paced below the per-socket event rate, as a browser's trickle is.
        await new Promise((r) => setTimeout(r, 30));
      }
      times.sort((x, y) => x - y);
      const p50 = times[Math.floor(times.length * 0.5)]!;
      const p95 = times[Math.floor(times.length * 0.95)]!;
      console.log(
        `call:signal relay across two processes: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
      );
      expect(p95).toBeLessThan(500);
      const ended = await api(b.url, "POST", `/calls/${call.id}/end`, john.token, {});
      expect(ended.body.status).toBe("completed");

      // Nobody can take Jane's call (everyone at capacity 0): both processes' clocks sweep it, it is missed once.
      const client = new pg.Client({ connectionString: databaseUrl(name) });
      await client.connect();
      cleanups.push(() => client.end());
      await client.query(`update users set max_calls = 0 where role <> 'customer'`);
      const missedHeard = next(janeS, "call:updated", (p) => p.call.status === "missed", 20_000);
      const waiting = await api(b.url, "POST", "/calls", jane.token, {});
      expect(waiting.body.status).toBe("queued");
      await client.query(`update calls set queued_at = now() - interval '61 seconds' where id = $1`, [
        waiting.body.id,
      ]);
      expect((await missedHeard).call.id).toBe(waiting.body.id);
      await new Promise((r) => setTimeout(r, 2500));
      const { rows } = await client.query(
        `select count(*)::int as n from activity where action = 'call.missed' and subject_id = $1`,
        [waiting.body.id],
      );
      expect(rows[0].n).toBe(1);
    }, 180_000);
  },
);
