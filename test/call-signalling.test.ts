import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Call } from "../src/protocol/call";
import { activity, tenants } from "../src/server/db/schema";
import { inSystem } from "../src/server/db/tenant-scope";
import { createTestApp, type TestApp } from "./helpers/app";
import { type ClientSocket, connectSocket, next, record, request, settle } from "./helpers/socket";

const sdp = (n: number) => `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n${"a=x\r\n".repeat(n)}`;
const candidate = {
  candidate: "candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host",
  sdpMid: "0",
  sdpMLineIndex: 0,
};

describe("call signalling over Socket.IO, and STUN/TURN credentials", () => {
  let t: TestApp;
  let url: string;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const sockets: ClientSocket[] = [];
  const api = (who: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    t.api(method, path, { token: tok[who], body, headers });
  const socketOf = async (who: string) => {
    const s = await connectSocket(url, { token: tok[who]! });
    sockets.push(s);
    return s;
  };

  const socketsOf = <const W extends readonly string[]>(...who: W) =>
    Promise.all(who.map(socketOf)) as Promise<{ [K in keyof W]: ClientSocket }>;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ROUTING_SWEEP_SECONDS: "60",
        TURN_CREDENTIAL_TTL_SECONDS: "600",
        TURN_URLS: "turn:turn.platform.test:3478",
        TURN_SECRET: "platform-wide-turn-secret-0123",
      },
    });
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    t.app.deps.config.publicUrl = url;
    for (const [who, email, tenant] of [
      ["admin", "admin@acme.test", "acme"],
      ["root", "root@switchboard.test", null],
      ["sarah", "sarah@acme.test", "acme"],
      ["mike", "mike@acme.test", "acme"],
      ["john", "john@acme.test", "acme"],
      ["jane", "jane@acme.test", "acme"],
      ["homer", "homer@globex.test", "globex"],
    ] as const) {
      tok[who] = await t.login(email, tenant);
      ids[who] = (await t.api("GET", "/me", { token: tok[who] })).body.user.id;
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it("relays offer, answer, ICE and hang-up only between the two parties of an active call", async () => {
    const [john, sarah, mike, jane, homer] = await socketsOf("john", "sarah", "mike", "jane", "homer");
    await api("sarah", "PATCH", "/me/availability", { status: "online" });
    const call = (await api("john", "POST", "/calls", {})).body as Call;

    // Before anyone answers there is nobody to signal.
    const early = await request(john, "call:signal", {
      callId: call.id,
      type: "offer",
      payload: { type: "offer", sdp: sdp(3) },
    });
    expect(early).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);

    const strangers = [mike, jane, homer].map((s) => record(s, "call:signal"));
    const offerAt = next(sarah, "call:signal", (p) => p.type === "offer");
    const offer = { type: "offer", sdp: sdp(50) };
    expect(await request(john, "call:signal", { callId: call.id, type: "offer", payload: offer })).toEqual({
      ok: true,
    });
    expect(await offerAt).toEqual({ callId: call.id, type: "offer", payload: offer, from: ids.john });

    const answerAt = next(john, "call:signal", (p) => p.type === "answer");
    const answer = { type: "answer", sdp: sdp(40) };
    expect(
      (await request(sarah, "call:signal", { callId: call.id, type: "answer", payload: answer })).ok,
    ).toBe(true);
    expect(await answerAt).toEqual({ callId: call.id, type: "answer", payload: answer, from: ids.sarah });

    const iceAt = next(sarah, "call:signal", (p) => p.type === "ice");
    expect(
      (await request(john, "call:signal", { callId: call.id, type: "ice", payload: candidate })).ok,
    ).toBe(true);
    expect((await iceAt).payload).toEqual(candidate);
    const endAt = next(john, "call:signal", (p) => p.type === "ice");
    expect((await request(sarah, "call:signal", { callId: call.id, type: "ice", payload: null })).ok).toBe(
      true,
    );
    expect((await endAt).payload).toBeNull();

    // Someone not in the call: not found, nothing relayed.
    for (const s of [mike, jane, homer]) {
      const refused = await request(s, "call:signal", { callId: call.id, type: "ice", payload: candidate });
      expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    const hangupAt = next(sarah, "call:signal", (p) => p.type === "hangup");
    expect((await request(john, "call:signal", { callId: call.id, type: "hangup" })).ok).toBe(true);
    expect((await hangupAt).from).toBe(ids.john);
    await settle();
    expect(strangers.flat()).toEqual([]);

    // A finished call carries no more signals.
    await api("sarah", "POST", `/calls/${call.id}/end`, {});
    const after = await request(john, "call:signal", { callId: call.id, type: "ice", payload: candidate });
    expect(after).toMatchObject({ ok: false, error: { code: "conflict", message: "The call has ended." } });
  });

  it("refuses oversized or malformed signals with an error and relays nothing", async () => {
    const [john, sarah] = await socketsOf("john", "sarah");
    await api("sarah", "PATCH", "/me/availability", { status: "online" });
    const call = (await api("john", "POST", "/calls", {})).body as Call;
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);
    const heard = record(sarah, "call:signal");
    const bad = [
      { callId: call.id, type: "offer", payload: { type: "offer", sdp: "x".repeat(16 * 1024 + 1) } },
      { callId: call.id, type: "ice", payload: { ...candidate, candidate: "c".repeat(2049) } },
      { callId: call.id, type: "ice", payload: { ...candidate, extra: "no" } },
      { callId: call.id, type: "offer", payload: "v=0" },
      { callId: call.id, type: "offer", payload: { type: "offer", sdp: "" } },
      { callId: call.id, type: "bye", payload: {} },
      { callId: "not-a-call", type: "ice", payload: candidate },
      { type: "ice", payload: candidate },
      "offer",
    ];
    for (const payload of bad) {
      const answer = await request(john, "call:signal", payload);
      expect(answer, JSON.stringify(payload).slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: "validation_failed" },
      });
    }
    // A call that does not exist at all.
    const ghost = await request(john, "call:signal", {
      callId: "00000000-0000-4000-8000-000000000000",
      type: "ice",
      payload: candidate,
    });
    expect(ghost).toMatchObject({ ok: false, error: { code: "not_found" } });
    // The largest allowed SDP goes through.
    const big = { type: "offer", sdp: "y".repeat(16 * 1024) };
    const bigAt = next(sarah, "call:signal");
    expect((await request(john, "call:signal", { callId: call.id, type: "offer", payload: big })).ok).toBe(
      true,
    );
    expect((await bigAt).payload).toEqual(big);
    await settle();
    expect(heard).toHaveLength(1);

    // A flood is rate-limited like every other event.
    const burst = await Promise.all(
      Array.from({ length: 80 }, () =>
        request(john, "call:signal", { callId: call.id, type: "ice", payload: candidate }),
      ),
    );
    expect(burst.some((a) => !a.ok && a.error.code === "rate_limited")).toBe(true);
    await api("john", "POST", `/calls/${call.id}/end`, {});
  });

  it("hands out STUN/TURN servers with credentials that expire, computed as coturn checks them; never the secret", async () => {
    const secret = "acme-shared-turn-secret-4567";
    const ice = [
      { urls: "stun:stun.acme.test:3478" },
      { urls: ["turn:turn.acme.test:3478", "turns:turn.acme.test:5349"], secret },
      { urls: "turn:static.acme.test:3478", username: "acme-turn", credential: "static-credential" },
    ];
    // Only the super admin sets them; a secret is long and comes alone.
    expect((await api("admin", "PATCH", "/settings", { iceServers: ice })).status).toBe(403);
    const asRoot = (body: unknown) => api("root", "PATCH", "/settings", body, { "x-tenant": "acme" });
    for (const wrong of [
      [{ urls: "turn:turn.acme.test:3478", secret: "short" }],
      [{ urls: "turn:turn.acme.test:3478", secret, username: "u" }],
      [{ urls: "turn:other.acme.test:3478", secret: "********" }],
    ])
      expect((await asRoot({ iceServers: wrong })).status).toBe(400);
    const saved = await asRoot({ iceServers: ice });
    expect(saved.status).toBe(200);
    expect(saved.body.iceServers[1]).toEqual({ urls: ice[1]!.urls, secret: "********" });
    const shown = await api("admin", "GET", "/settings");
    expect(shown.body.iceServers[1].secret).toBe("********");
    expect(JSON.stringify(shown.body)).not.toContain(secret);
    const tenantList = await api("root", "GET", "/tenants");
    expect(tenantList.status).toBe(200);
    expect(JSON.stringify(tenantList.body)).toContain("********");
    expect(JSON.stringify(tenantList.body)).not.toContain(secret);

    // Sent back as shown (another field changed), the secret stays.
    const roundTrip = await asRoot({ iceServers: shown.body.iceServers, recordingEnabled: true });
    expect(roundTrip.status).toBe(200);
    const [acme] = await inSystem(t.database.db, (tx) =>
      tx.select().from(tenants).where(eq(tenants.slug, "acme")),
    );
    expect(JSON.stringify(acme!.settings)).toContain(secret);
    expect(JSON.stringify(acme!.settings)).not.toContain("********");
    const rows = await inSystem(t.database.db, (tx) => tx.select().from(activity));
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain("platform-wide-turn-secret-0123");

    const before = Math.floor(Date.now() / 1000);
    const res = await api("john", "GET", "/calls/ice-servers");
    const after = Math.floor(Date.now() / 1000);
    expect(res.status).toBe(200);
    expect(res.body.ttlSeconds).toBe(600);
    expect(res.headers["cache-control"]).toBe("no-store");
    const [stun, turn, fixed, platform] = res.body.iceServers;
    expect(stun).toEqual({ urls: "stun:stun.acme.test:3478" });
    expect(fixed).toEqual({
      urls: "turn:static.acme.test:3478",
      username: "acme-turn",
      credential: "static-credential",
    });
    const [expiry, userId] = turn.username.split(":");
    expect(userId).toBe(ids.john);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 600);
    expect(Number(expiry)).toBeLessThanOrEqual(after + 600);
    // The reference computation of the TURN REST scheme (coturn's use-auth-secret).
    expect(turn.credential).toBe(createHmac("sha1", secret).update(turn.username).digest("base64"));
    expect(platform.urls).toEqual(["turn:turn.platform.test:3478"]);
    expect(platform.credential).toBe(
      createHmac("sha1", "platform-wide-turn-secret-0123").update(platform.username).digest("base64"),
    );
    expect(JSON.stringify(res.body)).not.toContain(secret);
    // Each person gets their own; another tenant gets only the platform's; signed out gets nothing.
    const sarahs = (await api("sarah", "GET", "/calls/ice-servers")).body.iceServers[1];
    expect(sarahs.username.endsWith(`:${ids.sarah}`)).toBe(true);
    expect(sarahs.credential).not.toBe(turn.credential);
    const globex = (await api("homer", "GET", "/calls/ice-servers")).body.iceServers;
    expect(globex).toHaveLength(1);
    expect(globex[0].urls).toEqual(["turn:turn.platform.test:3478"]);
    expect((await t.api("GET", "/calls/ice-servers")).status).toBe(401);
  });
});
