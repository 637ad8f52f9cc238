import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Call } from "../src/protocol/call";
import { sweepCalls } from "../src/server/modules/calls/call-sweep";
import { createTestApp, type TestApp } from "./helpers/app";
import { type ClientSocket, connectSocket, next, record, settle } from "./helpers/socket";

const people = [
  ["admin", "admin@acme.test", "acme"],
  ["lead", "lead@acme.test", "acme"],
  ["sarah", "sarah@acme.test", "acme"],
  ["mike", "mike@acme.test", "acme"],
  ["john", "john@acme.test", "acme"],
  ["jane", "jane@acme.test", "acme"],
  ["bob", "bob@acme.test", "acme"],
  ["homer", "homer@globex.test", "globex"],
  ["marge", "marge@globex.test", "globex"],
] as const;
type Who = (typeof people)[number][0];
const stats = (over: Record<string, number> = {}) => ({
  rttMs: 40,
  jitterMs: 4,
  packetLossPct: 0.5,
  bytesSent: 480_000,
  bytesReceived: 470_000,
  ...over,
});

describe("voice calls: queue, ringing, answer, decline, end, missed and abandoned", () => {
  let t: TestApp;
  let url: string;
  const tok = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  const sockets: ClientSocket[] = [];

  const api = (who: Who, method: string, path: string, body?: unknown) =>
    t.api(method, path, { token: tok[who], body });
  const online = async (who: Who, status = "online") =>
    expect((await api(who, "PATCH", "/me/availability", { status })).status).toBe(200);
  const socketOf = async (who: Who) => {
    const s = await connectSocket(url, { token: tok[who] });
    sockets.push(s);
    return s;
  };
  const dial = async (who: Who, body: unknown = {}) => {
    const res = await api(who, "POST", "/calls", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Call & { position: number | null };
  };
  const trail = async (callId: string) =>
    (await api("admin", "GET", `/audit-log?subjectType=call&subjectId=${callId}&limit=100`)).body.items.map(
      (e: { action: string }) => e.action,
    );
  const exec = (q: ReturnType<typeof sql>) => t.database.db.execute(q);

  beforeAll(async () => {
    t = await createTestApp({ env: { ROUTING_SWEEP_SECONDS: "60" } });
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    t.app.deps.config.publicUrl = url;
    for (const [who, email, tenant] of people) {
      tok[who] = await t.login(email, tenant);
      ids[who] = (await t.api("GET", "/me", { token: tok[who] })).body.user.id;
    }
  });
  // Each case starts with staff offline, room for two calls each and no call going on.
  beforeEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await exec(
      sql`update users set availability = 'offline', auto_away = false, max_calls = 2 where role <> 'customer'`,
    );
    await exec(
      sql`update calls set status = 'failed', ended_at = now() where status in ('queued', 'ringing', 'active')`,
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it("rings every online agent and team lead with room, never those away, on a break or offline; the first answer wins", async () => {
    const [sarahS, leadS, mikeS, johnS, adminS] = await Promise.all(
      (["sarah", "lead", "mike", "john", "admin"] as const).map(socketOf),
    );
    await online("sarah");
    await online("lead");
    await online("mike", "away");
    await online("admin");
    const rangSarah = next(sarahS, "call:incoming");
    const rangLead = next(leadS, "call:incoming");
    const mikeRings = record(mikeS, "call:incoming");
    const adminRings = record(adminS, "call:incoming");
    const call = await dial("john");
    expect(call).toMatchObject({ status: "ringing", customer: { id: ids.john }, agent: null, position: 1 });
    expect((await rangSarah).call.id).toBe(call.id);
    expect((await rangLead).call).toMatchObject({ id: call.id, status: "ringing" });
    await settle();
    // Away, and an admin (admins pick up by hand, they are not rung).
    expect(mikeRings).toEqual([]);
    expect(adminRings).toEqual([]);

    // Mike comes online: the waiting call rings for him too.
    const rangMike = next(mikeS, "call:incoming", (p) => p.call.id === call.id);
    await online("mike");
    await rangMike;

    const johnHears = next(johnS, "call:updated", (p) => p.call.status === "active");
    const leadHears = next(leadS, "call:updated", (p) => p.call.status === "active");
    const answered = await api("sarah", "POST", `/calls/${call.id}/answer`);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: "active",
      agent: { id: ids.sarah, name: "Sarah Johnson" },
    });
    expect((await johnHears).call.agent?.id).toBe(ids.sarah);
    expect((await leadHears).call.agent?.id).toBe(ids.sarah);

    for (const who of ["lead", "mike"] as const) {
      const late = await api(who, "POST", `/calls/${call.id}/answer`);
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe("Someone else has already answered this call.");
    }
    // Answering again is harmless for the one who has it.
    expect((await api("sarah", "POST", `/calls/${call.id}/answer`)).status).toBe(200);
    expect(await trail(call.id)).toEqual(["call.answered", "call.offered", "call.offered", "call.created"]);
  });

  it("one live call per customer; a chat named must be the caller's own support chat; staff cannot call", async () => {
    const chat = await api("jane", "POST", "/conversations", { subject: "Card", message: "About my card" });
    expect(chat.status).toBe(201);
    const mine = await dial("jane", { conversationId: chat.body.id });
    expect(mine).toMatchObject({ status: "queued", conversationId: chat.body.id });
    const again = await api("jane", "POST", "/calls", {});
    expect(again.status).toBe(409);
    expect(again.body.error.details.callId).toBe(mine.id);

    expect((await api("john", "POST", "/calls", { conversationId: chat.body.id })).status).toBe(404);
    expect((await api("john", "POST", "/calls", { conversationId: "nope" })).status).toBe(400);
    expect((await api("john", "POST", "/calls", { conversationId: chat.body.id, extra: 1 })).status).toBe(
      400,
    );
    expect((await api("sarah", "POST", "/calls", {})).status).toBe(403);
    expect((await api("marge", "POST", "/calls", { conversationId: chat.body.id })).status).toBe(404);
    // Two clicks at once still make one call.
    const both = await Promise.all([api("bob", "POST", "/calls", {}), api("bob", "POST", "/calls", {})]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const [{ n }] = (
      await exec(
        sql`select count(*)::int as n from calls where customer_id = ${ids.bob} and status in ('queued', 'ringing')`,
      )
    ).rows as Array<{ n: number }>;
    expect(n).toBe(1);
  });
});
