import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Call } from "../src/protocol/call";
import { sweepCalls } from "../src/server/modules/calls/call-sweep";
import { callBed, callStats as stats } from "./helpers/call-bed";
import { oggOpus } from "./helpers/ogg-opus";
import { type ClientSocket, connectSocket, next, record, settle } from "./helpers/socket";

const people = [
  ["admin", "admin@acme.test", "acme"],
  ["supervisor", "supervisor@acme.test", "acme"],
  ["lead", "lead@acme.test", "acme"],
  ["sarah", "sarah@acme.test", "acme"],
  ["mike", "mike@acme.test", "acme"],
  ["john", "john@acme.test", "acme"],
  ["jane", "jane@acme.test", "acme"],
  ["bob", "bob@acme.test", "acme"],
  ["scorpio", "admin@globex.test", "globex"],
  ["homer", "homer@globex.test", "globex"],
] as const;
type Who = (typeof people)[number][0];

describe("watching calls: staff who see every call hear each call's changes live, nobody else does", () => {
  const bed = callBed(people);
  const { tok, ids, api, online, socketOf, socketsOf, dial, exec } = bed;
  const ok = async (who: Who, method: string, path: string, body?: unknown) => {
    const res = await api(who, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Call;
  };
  /** Every `call:updated` a socket hears, to read back per call. */
  const listen = (socket: ClientSocket) => {
    const heard = record(socket, "call:updated");
    return {
      of: (callId: string) => heard.filter((p) => p.call.id === callId).map((p) => p.call),
      all: () => heard.map((p) => p.call),
    };
  };

  it("a supervisor and a team lead follow a call from queued to completed and scored; an agent not on it and another tenant hear nothing", async () => {
    const [supervisorS, leadS, mikeS, scorpioS, homerS] = await socketsOf(
      "supervisor",
      "lead",
      "mike",
      "scorpio",
      "homer",
    );
    const supervisor = listen(supervisorS);
    const lead = listen(leadS);
    const mike = listen(mikeS);
    const scorpio = listen(scorpioS);
    const homer = listen(homerS);
    await online("sarah");

    const call = await dial("john");
    expect(call.status).toBe("ringing");
    await ok("sarah", "POST", `/calls/${call.id}/answer`);
    await ok("sarah", "POST", `/calls/${call.id}/end`, { stats: stats() });
    // John's report comes later and rescores the call: the board hears that too.
    const rescored = next(supervisorS, "call:updated", (p) => p.call.id === call.id && p.call.poorQuality);
    const last = await ok("john", "POST", `/calls/${call.id}/end`, {
      stats: stats({ rttMs: 600, jitterMs: 50, packetLossPct: 10 }),
    });
    expect(last.poorQuality).toBe(true);
    await rescored;
    await settle();

    for (const watcher of [supervisor, lead]) {
      const seen = watcher.of(call.id);
      expect(seen.map((c) => c.status)).toEqual(["queued", "ringing", "active", "completed", "completed"]);
      expect(seen[0]).toMatchObject({ customer: { id: ids.john, name: "John Doe" }, agent: null });
      expect(seen[2]).toMatchObject({ agent: { id: ids.sarah, name: "Sarah Johnson" } });
      expect(seen[2]!.answeredAt).toEqual(expect.any(String));
      expect(seen[3]).toMatchObject({ poorQuality: false, quality: 4.35 });
      expect(seen[3]!.durationSeconds).toEqual(expect.any(Number));
      expect(seen[4]).toMatchObject({ poorQuality: true, quality: 1.64 });
    }
    // Mike was offline, so never rung: another agent's call is none of his business.
    expect(mike.of(call.id)).toEqual([]);
    expect(scorpio.all()).toEqual([]);
    expect(homer.all()).toEqual([]);
  });

  it("a colleague rung for a call hears only that it was answered; how it goes on reaches its parties and the board", async () => {
    expect((await api("admin", "PATCH", "/settings", { recordingEnabled: true })).status).toBe(200);
    const [supervisorS, mikeS, johnS] = await socketsOf("supervisor", "mike", "john");
    const supervisor = listen(supervisorS);
    const mike = listen(mikeS);
    const john = listen(johnS);
    await online("sarah");
    await online("mike");
    const rang = next(mikeS, "call:incoming");
    const call = await dial("john");
    expect((await rang).call.id).toBe(call.id);
    await ok("sarah", "POST", `/calls/${call.id}/answer`);
    await ok("sarah", "POST", `/calls/${call.id}/recording/notice`);
    const uploaded = await bed.postFile("sarah", `/calls/${call.id}/recording`, oggOpus(2), "audio/ogg");
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const ended = next(
      supervisorS,
      "call:updated",
      (p) => p.call.id === call.id && p.call.status === "completed",
    );
    await ok("sarah", "POST", `/calls/${call.id}/end`, { stats: stats() });
    await ended;
    await settle();

    expect(mike.of(call.id).map((c) => [c.status, c.agent?.id])).toEqual([["active", ids.sarah]]);
    const board = supervisor.of(call.id);
    expect(board.map((c) => c.status)).toEqual([
      "queued",
      "ringing",
      "active",
      "active",
      "active",
      "completed",
    ]);
    expect(board[3]!.recordingNoticeAt).toEqual(expect.any(String));
    expect(board[4]!.recordingAvailable).toBe(true);
    expect(board[5]).toMatchObject({ recordingAvailable: true, quality: 4.35 });
    // The customer hears what they heard before: ringing, answered, told of the recording, recorded, ended.
    expect(john.of(call.id).map((c) => c.status)).toEqual([
      "ringing",
      "active",
      "active",
      "active",
      "completed",
    ]);
    expect((await api("admin", "PATCH", "/settings", { recordingEnabled: false })).status).toBe(200);
  });

  it("declined back to the queue, abandoned, missed and left: every way a call waits or ends reaches the board", async () => {
    const [supervisorS, mikeS, scorpioS] = await socketsOf("supervisor", "mike", "scorpio");
    const supervisor = listen(supervisorS);
    const mike = listen(mikeS);
    const scorpio = listen(scorpioS);

    // Nobody online: it stays queued, and the board still shows it.
    const abandoned = await dial("john");
    expect(abandoned.status).toBe("queued");
    await ok("john", "POST", `/calls/${abandoned.id}/end`, {});

    await online("sarah");
    const declined = await dial("jane");
    expect((await ok("sarah", "POST", `/calls/${declined.id}/decline`)).status).toBe("queued");
    await exec(sql`update calls set queued_at = now() - interval '61 seconds' where id = ${declined.id}`);
    await sweepCalls(bed.t.app.deps);

    // Bob's tab goes away mid-call: past the grace period the call ends on its own.
    const bobS = await connectSocket(bed.url, { token: tok.bob });
    const left = await dial("bob");
    await ok("sarah", "POST", `/calls/${left.id}/answer`);
    const gone = next(
      supervisorS,
      "call:updated",
      (p) => p.call.id === left.id && p.call.status === "completed",
      9000,
    );
    bobS.close();
    expect((await gone).call).toMatchObject({ endReason: "customer_left", agent: { id: ids.sarah } });
    await settle();

    expect(supervisor.of(abandoned.id).map((c) => c.status)).toEqual(["queued", "abandoned"]);
    expect(supervisor.of(declined.id).map((c) => c.status)).toEqual([
      "queued",
      "ringing",
      "queued",
      "missed",
    ]);
    expect(supervisor.of(declined.id).at(-1)).toMatchObject({ endReason: "no_answer" });
    expect(supervisor.of(left.id).map((c) => c.status)).toEqual(["queued", "ringing", "active", "completed"]);
    expect(mike.all()).toEqual([]);
    expect(scorpio.all()).toEqual([]);
  }, 15_000);

  it("a role change takes effect on open tabs: promoted, an agent hears every call; demoted back, no more", async () => {
    const mikeS = await socketOf("mike");
    const mike = listen(mikeS);
    const role = async (r: string) =>
      expect((await api("admin", "PATCH", `/staff/${ids.mike}`, { role: r })).status).toBe(200);
    try {
      await role("team_lead");
      await settle();
      const watched = await dial("john");
      await expect.poll(() => mike.of(watched.id).length).toBeGreaterThan(0);
      await ok("john", "POST", `/calls/${watched.id}/end`, {});

      await role("agent");
      await settle();
      const unseen = await dial("jane");
      await ok("jane", "POST", `/calls/${unseen.id}/end`, {});
      await settle();
      expect(mike.of(unseen.id)).toEqual([]);
    } finally {
      await exec(sql`update users set role = 'agent' where id = ${ids.mike}`);
    }
  });
});
