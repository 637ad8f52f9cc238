import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { Call } from "../../src/protocol/call";
import { createTestApp, type TestApp } from "./app";
import { closeAndOutlast } from "./presence";
import { type ClientSocket, connectSocket } from "./socket";

/** One browser's hang-up report of a good line, with any figure changed. */
export const callStats = (over: Record<string, number> = {}) => ({
  rttMs: 40,
  jitterMs: 4,
  packetLossPct: 0.5,
  bytesSent: 480_000,
  bytesReceived: 470_000,
  ...over,
});

/** A multipart/form-data body as a browser's FormData sends a Blob (MediaRecorder's chunks joined). */
function multipartBody(data: Buffer, type = "audio/ogg; codecs=opus", filename = "blob") {
  const boundary = `----switchboard${randomBytes(8).toString("hex")}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

type People = ReadonlyArray<readonly [string, string, string]>;

/**
 * The call tests' server: listening (sockets connect to it), with each person of `people` signed in, and before
 * each case every open socket closed (and presence's grace waited out), staff offline with room for two calls,
 * and no call going on. `t` and `url` exist once the suite has started.
 */
export function callBed<const P extends People>(people: P) {
  type Who = P[number][0];
  const sockets: ClientSocket[] = [];
  const bed = {
    t: undefined as unknown as TestApp,
    url: "",
    tok: {} as Record<Who, string>,
    ids: {} as Record<Who, string>,
    sockets,
    api: (who: Who, method: string, path: string, body?: unknown) =>
      bed.t.api(method, path, { token: bed.tok[who], body }),
    online: async (who: Who, status = "online") =>
      expect((await bed.api(who, "PATCH", "/me/availability", { status })).status).toBe(200),
    socketOf: async (who: Who) => {
      const s = await connectSocket(bed.url, { token: bed.tok[who] });
      sockets.push(s);
      return s;
    },
    socketsOf: <const W extends readonly Who[]>(...who: W) =>
      Promise.all(who.map(bed.socketOf)) as Promise<{ [K in keyof W]: ClientSocket }>,
    /** A customer calls; 201 expected. */
    dial: async (who: Who, body: unknown = {}) => {
      const res = await bed.api(who, "POST", "/calls", body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as Call & { position: number | null };
    },
    exec: (q: ReturnType<typeof sql>) => bed.t.database.db.execute(q),
    /** A file posted as a browser's FormData would (see multipartBody), to a path under /api/v1. */
    postFile: async (who: Who, path: string, data: Buffer, type?: string, filename?: string) => {
      const { payload, contentType } = multipartBody(data, type, filename);
      const res = await bed.t.app.inject({
        method: "POST",
        url: `/api/v1${path}`,
        headers: { authorization: `Bearer ${bed.tok[who]}`, "content-type": contentType },
        payload,
      });
      return { status: res.statusCode, body: res.json() };
    },
  };

  beforeAll(async () => {
    const t = await createTestApp({ env: { ROUTING_SWEEP_SECONDS: "60" } });
    bed.t = t;
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    bed.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    t.app.deps.config.publicUrl = bed.url;
    for (const [who, email, tenant] of people as unknown as Array<[Who, string, string]>) {
      bed.tok[who] = await t.login(email, tenant);
      bed.ids[who] = (await t.api("GET", "/me", { token: bed.tok[who] })).body.user.id;
    }
  });
  beforeEach(async () => {
    await closeAndOutlast(sockets.splice(0));
    await bed.exec(
      sql`update users set availability = 'offline', auto_away = false, max_calls = 2 where role <> 'customer'`,
    );
    await bed.exec(
      sql`update calls set status = 'failed', ended_at = now() where status in ('queued', 'ringing', 'active')`,
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await bed.t?.close();
  });
  return bed;
}
