import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Call } from "../src/protocol/call";
import { queryRows } from "../src/server/db/client";
import { uploadsDir } from "../src/server/modules/uploads/storage";
import { callBed } from "./helpers/call-bed";
import { oggOpus } from "./helpers/ogg-opus";
import { next } from "./helpers/socket";

const people = [
  ["admin", "admin@acme.test", "acme"],
  ["lead", "lead@acme.test", "acme"],
  ["sarah", "sarah@acme.test", "acme"],
  ["mike", "mike@acme.test", "acme"],
  ["john", "john@acme.test", "acme"],
  ["homer", "homer@globex.test", "globex"],
] as const;
type Who = (typeof people)[number][0];

describe("call recording: notice, encrypted upload, playback with seeking", () => {
  const bed = callBed(people);
  const { api, dial, postFile } = bed;
  const audio = oggOpus(3);

  const settings = async (body: Record<string, unknown>) =>
    expect((await api("admin", "PATCH", "/settings", body)).status).toBe(200);
  const upload = (who: Who, callId: string, data = audio, type?: string) =>
    postFile(who, `/calls/${callId}/recording`, data, type);
  const play = (who: Who, callId: string, range?: string) =>
    bed.t.app.inject({
      method: "GET",
      url: `/api/v1/calls/${callId}/recording`,
      headers: { authorization: `Bearer ${bed.tok[who]}`, ...(range ? { range } : {}) },
    });
  const notice = (who: Who, callId: string) => api(who, "POST", `/calls/${callId}/recording/notice`);
  /** John calls, Sarah answers. */
  const activeCall = async () => {
    const dialled = await dial("john");
    const answered = await api("sarah", "POST", `/calls/${dialled.id}/answer`);
    expect(answered.status).toBe(200);
    return answered.body as Call;
  };
  /** Files in the uploads folder (none before the first upload creates it). */
  const stored = () => {
    const dir = uploadsDir(bed.t.config.dataDir);
    return existsSync(dir) ? readdirSync(dir).length : 0;
  };
  const rows = async () =>
    Number(
      (await queryRows<{ n: number }>(bed.t.database.db, sql`select count(*)::int as n from attachments`))[0]!
        .n,
    );
  const trail = async (callId: string) =>
    (await api("admin", "GET", `/audit-log?subjectType=call&subjectId=${callId}&limit=100`)).body.items;
  const refused = async (res: { status: number; body: { error: { code: string } } }, status: number) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBeTruthy();
  };

  beforeEach(async () => {
    await settings({ recordingEnabled: true, maxUploadMb: 10 });
  });

  it("the customer is told, the agent uploads, the file is encrypted at rest and plays back with seeking", async () => {
    const call = await activeCall();
    expect(call.recordingNoticeAt).toBeNull();
    // The call says the tenant records, so the agent's screen offers it.
    expect((await api("sarah", "GET", `/calls/${call.id}`)).body.recordingEnabled).toBe(true);
    const before = { rows: await rows(), files: stored() };
    const early = await upload("sarah", call.id);
    await refused(early, 409);
    expect(early.body.error.details.reason).toBe("no_notice");
    expect({ rows: await rows(), files: stored() }).toEqual(before);

    const john = await bed.socketOf("john");
    const johnSees = next(john, "call:updated", (p) => p.call.id === call.id && !!p.call.recordingNoticeAt);
    const told = await notice("sarah", call.id);
    expect(told.status).toBe(200);
    expect(told.body.recordingNoticeAt).toEqual(expect.any(String));
    expect((await johnSees).call.recordingNoticeAt).toBe(told.body.recordingNoticeAt);
    // Telling again changes nothing.
    expect((await notice("sarah", call.id)).body.recordingNoticeAt).toBe(told.body.recordingNoticeAt);

    const done = await upload("sarah", call.id);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body).toMatchObject({ id: call.id, recordingAvailable: true, status: "active" });
    const [row] = await queryRows<{ id: string; mime: string; size: number; storage_key: string }>(
      bed.t.database.db,
      sql`select a.id, a.mime, a.size::int as size, a.storage_key from calls c join attachments a on a.id = c.recording_id
          where c.id = ${call.id}`,
    );
    expect(row).toMatchObject({ mime: "audio/ogg", size: audio.length });
    const atRest = readFileSync(join(uploadsDir(bed.t.config.dataDir), row!.storage_key));
    expect(atRest.equals(audio)).toBe(false);
    expect(atRest.includes(Buffer.from("OpusHead"))).toBe(false);
    expect(atRest.includes(Buffer.from("OggS"))).toBe(false);

    const whole = await play("sarah", call.id);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(audio)).toBe(true);
    expect(whole.headers).toMatchObject({
      "content-type": "audio/ogg",
      "accept-ranges": "bytes",
      "x-content-type-options": "nosniff",
    });
    expect(whole.headers["content-disposition"]).toMatch(/^attachment; /);
    const part = await play("sarah", call.id, "bytes=100-199");
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 100-199/${audio.length}`);
    expect(part.rawPayload.equals(audio.subarray(100, 200))).toBe(true);
    const tail = await play("sarah", call.id, "bytes=-10");
    expect(tail.rawPayload.equals(audio.subarray(-10))).toBe(true);
    const open = await play("sarah", call.id, `bytes=${audio.length - 5}-`);
    expect(open.statusCode).toBe(206);
    expect(open.rawPayload.equals(audio.subarray(-5))).toBe(true);
    const beyond = await play("sarah", call.id, `bytes=${audio.length}-`);
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers["content-range"]).toBe(`bytes */${audio.length}`);

    // Team leads and above hear it; the customer, another agent and another tenant do not.
    for (const who of ["lead", "admin"] as const)
      expect((await play(who, call.id)).rawPayload.equals(audio)).toBe(true);
    expect((await play("john", call.id)).statusCode).toBe(403);
    expect((await play("mike", call.id)).statusCode).toBe(404);
    expect((await play("homer", call.id)).statusCode).toBe(404);
    // Only through its call: not a loose upload of the agent's.
    expect((await api("sarah", "GET", `/uploads/${row!.id}`)).status).toBe(404);

    const again = await upload("sarah", call.id);
    await refused(again, 409);
    expect(again.body.error.details.reason).toBe("already_recorded");
    expect({ rows: await rows(), files: stored() }).toEqual({
      rows: before.rows + 1,
      files: before.files + 1,
    });

    const entries = await trail(call.id);
    expect(entries.map((e: { action: string }) => e.action).slice(0, 2)).toEqual([
      "call.recorded",
      "call.recording_notice",
    ]);
    expect(entries[0].newValue).toEqual({ recordingId: row!.id, mime: "audio/ogg", size: audio.length });
    expect(JSON.stringify(entries)).not.toContain("OpusHead");
  });

  it("uploads in the minutes after hang-up, not long after; a notice needs a call going on", async () => {
    const call = await activeCall();
    expect((await notice("sarah", call.id)).status).toBe(200);
    expect((await api("sarah", "POST", `/calls/${call.id}/end`, {})).status).toBe(200);
    await refused(await notice("sarah", call.id), 409);
    expect((await upload("sarah", call.id)).status).toBe(201);

    const late = await activeCall();
    expect((await notice("sarah", late.id)).status).toBe(200);
    expect((await api("john", "POST", `/calls/${late.id}/end`, {})).status).toBe(200);
    await bed.exec(sql`update calls set ended_at = now() - interval '11 minutes' where id = ${late.id}`);
    await refused(await upload("sarah", late.id), 409);

    // A notice recorded after the call ended does not count.
    const after = await activeCall();
    expect((await api("sarah", "POST", `/calls/${after.id}/end`, {})).status).toBe(200);
    await bed.exec(
      sql`update calls set recording_notice_at = ended_at + interval '1 second' where id = ${after.id}`,
    );
    const res = await upload("sarah", after.id);
    await refused(res, 409);
    expect(res.body.error.details.reason).toBe("no_notice");
    expect((await play("sarah", after.id)).statusCode).toBe(404);
  });

  it("refuses where recording is off, anyone but the call's agent, and files that are not audio or too big", async () => {
    const call = await activeCall();
    const before = { rows: await rows(), files: stored() };
    await settings({ recordingEnabled: false });
    expect((await api("sarah", "GET", `/calls/${call.id}`)).body.recordingEnabled).toBe(false);
    await refused(await notice("sarah", call.id), 403);
    await refused(await upload("sarah", call.id), 403);
    await settings({ recordingEnabled: true, maxUploadMb: 1 });

    await refused(await notice("mike", call.id), 404);
    await refused(await notice("lead", call.id), 403);
    await refused(await notice("john", call.id), 403);
    await refused(await notice("homer", call.id), 404);
    expect((await api("sarah", "GET", `/calls/${call.id}`)).body.recordingNoticeAt).toBeNull();
    expect((await notice("sarah", call.id)).status).toBe(200);

    await refused(await upload("john", call.id), 403);
    await refused(await upload("mike", call.id), 404);
    await refused(await upload("lead", call.id), 403);
    await refused(await upload("homer", call.id), 404);

    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64)]);
    await refused(await upload("sarah", call.id, png, "audio/webm"), 415);
    await refused(await upload("sarah", call.id, Buffer.from("not a recording at all"), "audio/ogg"), 415);
    await refused(await upload("sarah", call.id, audio, "image/png"), 415);
    // Just over the limit: read up to it, then refused (and a body far over it is refused unread).
    const big = Buffer.concat([audio, Buffer.alloc(1024 * 1024)]);
    await refused(await upload("sarah", call.id, big), 413);
    await refused(await upload("sarah", call.id, Buffer.concat([audio, Buffer.alloc(2 * 1024 * 1024)])), 413);
    const json = await api("sarah", "POST", `/calls/${call.id}/recording`, { file: "x" });
    await refused(json, 415);
    expect({ rows: await rows(), files: stored() }).toEqual(before);
    expect((await api("sarah", "GET", `/calls/${call.id}`)).body.recordingAvailable).toBe(false);
    expect((await trail(call.id)).map((e: { action: string }) => e.action)).not.toContain("call.recorded");
  });

  it("ordinary downloads honour Range through the same code", async () => {
    const text = Buffer.from("0123456789abcdefghij");
    const up = await postFile("john", "/uploads", text, "text/plain", "notes.txt");
    expect(up.status).toBe(201);
    const res = await bed.t.app.inject({
      method: "GET",
      url: `/api/v1/uploads/${up.body.id}`,
      headers: { authorization: `Bearer ${bed.tok.john}`, range: "bytes=10-13" },
    });
    expect(res.statusCode).toBe(206);
    expect(res.body).toBe("abcd");
    expect(res.headers["content-range"]).toBe("bytes 10-13/20");
  });
});
