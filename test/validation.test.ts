import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

/** Anything that would show the server's insides: stack frames, source paths, SQL, framework error codes. */
const internals = [
  /\bat [\w.<>]+ \(/,
  /\n\s+at /,
  /\.(ts|js|mjs|cjs):\d+/,
  /node_modules/,
  /\/work\/|\/home\/|\/usr\//,
  /FST_ERR/,
  /\bselect\b.*\bfrom\b/i,
  /Failed query/,
  /drizzle|pglite|ZodError/i,
];

describe("bad requests", () => {
  let t: TestApp;
  let admin: string;
  let globexAdmin: string;
  const errors: Array<{ what: string; res: ApiResponse }> = [];

  /** Sends a request and keeps every error answer, so the last test can look for leaks in all of them. */
  async function call(
    method: string,
    path: string,
    options: Parameters<TestApp["api"]>[2] = {},
  ): Promise<ApiResponse> {
    const res = await t.api(method, path, options);
    if (res.status >= 400) errors.push({ what: `${method} ${path}`, res });
    return res;
  }
  async function raw(
    method: "POST" | "PATCH",
    path: string,
    payload: string,
    contentType?: string,
  ): Promise<ApiResponse> {
    const res = await t.app.inject({
      method,
      url: `/api/v1${path}`,
      headers: { authorization: `Bearer ${admin}`, ...(contentType ? { "content-type": contentType } : {}) },
      payload,
    });
    const parsed: ApiResponse = { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
    if (res.statusCode >= 400)
      errors.push({ what: `${method} ${path} (${contentType ?? "no type"})`, res: parsed });
    return parsed;
  }

  function expectError(res: ApiResponse, status: number, code: string) {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
  }
  /** 400 validation_failed whose details name exactly these fields. */
  function expectFields(res: ApiResponse, fields: string[]) {
    expectError(res, 400, "validation_failed");
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual([...fields].sort());
    for (const message of Object.values(res.body.error.details.fields))
      expect(message).toEqual(expect.any(String));
  }

  const teamNames = async () =>
    ((await t.api("GET", "/teams", { token: admin })).body.items as Array<{ name: string }>).map(
      (x) => x.name,
    );
  const staffEmails = async () =>
    ((await t.api("GET", "/staff?limit=200", { token: admin })).body.items as Array<{ email: string }>).map(
      (x) => x.email,
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    globexAdmin = await t.login("admin@globex.test", "globex");
  });
  afterAll(() => t.close());

  describe("bodies that are not JSON objects", () => {
    it("malformed JSON is a 400 naming the body, and creates nothing", async () => {
      const before = await teamNames();
      for (const payload of [
        '{"name": "Night Shift"',
        "{name: 'Night Shift'}",
        '{"name": "Night Shift"} trailing',
        "nul",
      ]) {
        const res = await raw("POST", "/teams", payload, "application/json");
        expectFields(res, ["body"]);
      }
      expect(await teamNames()).toEqual(before);
    });

    it("an empty body, an array, a string or null where an object belongs are 400s", async () => {
      expectError(await raw("POST", "/teams", "", "application/json"), 400, "validation_failed");
      expectFields(await call("POST", "/teams", { token: admin, body: [{ name: "Night Shift" }] }), ["body"]);
      expectFields(await call("POST", "/teams", { token: admin, body: JSON.stringify("Night Shift") }), [
        "body",
      ]);
      expectFields(await call("POST", "/teams", { token: admin, body: "null" }), ["body"]);
      expect(await teamNames()).not.toContain("Night Shift");
    });

    it("a body over 1 MiB is 413 too_large, and creates nothing", async () => {
      const body = JSON.stringify({ name: "Night Shift", memberIds: [], padding: "x".repeat(1024 * 1024) });
      const res = await raw("POST", "/teams", body, "application/json");
      expectError(res, 413, "too_large");
      // Just under the limit is read (and then refused for its unknown field, not its size).
      const under = await raw(
        "POST",
        "/teams",
        JSON.stringify({ name: "Night Shift", padding: "x".repeat(1000_000) }),
        "application/json",
      );
      expectFields(under, ["padding"]);
      expect(await teamNames()).not.toContain("Night Shift");
    });

    it("a body in another format is 415 unsupported_media_type", async () => {
      const before = await teamNames();
      expectError(await raw("POST", "/teams", "Night Shift", "text/plain"), 415, "unsupported_media_type");
      expectError(
        await raw("POST", "/teams", '{"name":"Night Shift"}', "text/plain"),
        415,
        "unsupported_media_type",
      );
      expectError(
        await raw("POST", "/teams", "name=Night+Shift", "application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
      );
      expectError(
        await raw("POST", "/teams", "<team><name>Night Shift</name></team>", "application/xml"),
        415,
        "unsupported_media_type",
      );
      expectError(
        await raw("PATCH", "/settings", '{"autoAssignment":false}', "text/plain"),
        415,
        "unsupported_media_type",
      );
      expectError(await raw("POST", "/teams", '{"name":"Night Shift"}'), 415, "unsupported_media_type");
      expect(await teamNames()).toEqual(before);
      expect((await t.api("GET", "/settings", { token: admin })).body.autoAssignment).toBe(true);
      // JSON with a charset is JSON.
      const ok = await raw("POST", "/teams", '{"name":"Night Shift"}', "application/json; charset=utf-8");
      expect(ok.status).toBe(201);
    });
  });

  describe("fields", () => {
    it("wrong types are named one by one", async () => {
      const before = await staffEmails();
      const res = await call("POST", "/staff", {
        token: admin,
        body: {
          email: 42,
          name: true,
          role: ["agent"],
          password: 1234567890,
          maxChats: "five",
          maxCalls: 1.5,
          teamId: 7,
        },
      });
      expectFields(res, ["email", "name", "role", "password", "maxChats", "maxCalls", "teamId"]);
      expect(await staffEmails()).toEqual(before);
    });

    it("missing required fields are named", async () => {
      expectFields(await call("POST", "/staff", { token: admin, body: {} }), ["email", "name", "role"]);
      expectFields(await call("POST", "/staff", { token: admin, body: { email: "ana@acme.test" } }), [
        "name",
        "role",
      ]);
      expectFields(await call("POST", "/auth/login", { body: { tenant: "acme" } }), ["email", "password"]);
    });

    it("unknown fields are named, at the top and nested, and change nothing", async () => {
      const before = await teamNames();
      const res = await call("POST", "/teams", {
        token: admin,
        body: { name: "Weekend Crew", colour: "teal", priority: 1 },
      });
      expectFields(res, ["colour", "priority"]);
      expect(res.body.error.details.fields.colour).toBe("is not a known field");
      expect(await teamNames()).toEqual(before);

      const settingsBefore = (await t.api("GET", "/settings", { token: admin })).body;
      expectFields(
        await call("PATCH", "/settings", {
          token: admin,
          body: { retention: { ticketArchiveDays: 30, keepForever: true } },
        }),
        ["retention.keepForever"],
      );
      expectFields(
        await call("PATCH", "/settings", { token: admin, body: { theme: "dark", autoAssignment: "yes" } }),
        ["theme", "autoAssignment"],
      );
      expect((await t.api("GET", "/settings", { token: admin })).body).toEqual(settingsBefore);
    });

    it("values out of range or of the wrong shape are named with their path", async () => {
      expectFields(
        await call("PATCH", "/settings", { token: admin, body: { defaultMaxChats: 0, maxUploadMb: 1000 } }),
        ["defaultMaxChats", "maxUploadMb"],
      );
      expectFields(
        await call("POST", "/teams", {
          token: admin,
          body: { name: "Weekend Crew", memberIds: ["not-an-id"] },
        }),
        ["memberIds.0"],
      );
      expectFields(await call("PATCH", "/me/availability", { token: admin, body: { status: "sleeping" } }), [
        "status",
      ]);
    });

    it("query strings are validated the same way", async () => {
      expectFields(await call("GET", "/staff?limit=0", { token: admin }), ["limit"]);
      expectFields(await call("GET", "/staff?limit=abc&role=owner", { token: admin }), ["limit", "role"]);
      expectFields(await call("GET", "/staff?include=passwordHash", { token: admin }), ["include"]);
      expectFields(await call("GET", "/audit-log?from=last+week", { token: admin }), ["from"]);
    });

    it("path ids that are not ids are named", async () => {
      expectFields(await call("PATCH", "/staff/sarah", { token: admin, body: { name: "Sarah" } }), ["id"]);
      expectFields(await call("DELETE", "/teams/front-desk", { token: admin }), ["id"]);
      expectFields(await call("DELETE", "/staff/1%20OR%201=1", { token: admin }), ["id"]);
    });

    it("a NUL character, which the database cannot store, is a 400 naming the field and not a 500", async () => {
      const before = await teamNames();
      expectFields(await call("POST", "/teams", { token: admin, body: { name: "Night\u0000Watch" } }), [
        "name",
      ]);
      expectFields(
        await call("POST", "/teams", { token: admin, body: { name: "Night Watch", memberIds: ["a\u0000"] } }),
        ["memberIds.0"],
      );
      expectFields(
        await call("POST", "/teams", { token: admin, body: { name: "Night Watch", "x\u0000": 1 } }),
        ["x\u0000"],
      );
      expectFields(await call("GET", "/staff?q=%00", { token: admin }), ["q"]);
      expectFields(await call("GET", "/audit-log?subjectType=user%00", { token: admin }), ["subjectType"]);
      expectFields(await call("PATCH", "/staff/%00", { token: admin, body: { name: "X" } }), ["id"]);
      expect(await teamNames()).toEqual(before);
    });

    it("a deeply nested body is refused, not a crash", async () => {
      const depth = 100_000;
      const payload = `{"name":"Deep","memberIds":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      const res = await raw("POST", "/teams", payload, "application/json");
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await teamNames()).not.toContain("Deep");
    });

    it("a cursor the list did not hand out is a 400, however it was forged", async () => {
      const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const id = "00000000-0000-4000-8000-000000000000";
      const forged = [
        "not-a-cursor",
        forge({ k: "Olivia", id: "not-a-uuid" }),
        forge({ k: "Olivia\u0000", id }),
        forge({ k: { $gt: "" }, id }),
        forge(["Olivia", id]),
      ];
      for (const cursor of forged) {
        expectFields(await call("GET", `/staff?cursor=${encodeURIComponent(cursor)}`, { token: admin }), [
          "cursor",
        ]);
      }
      for (const cursor of [forge({ k: "abc", id }), forge({ k: 1.5, id }), forge({ k: 1e300, id })]) {
        expectFields(await call("GET", `/audit-log?cursor=${encodeURIComponent(cursor)}`, { token: admin }), [
          "cursor",
        ]);
      }
      // A cursor that is well formed but made up simply continues from there.
      const made = await call("GET", `/audit-log?cursor=${forge({ k: 3, id })}`, { token: admin });
      expect(made.status).toBe(200);
      expect(made.body.items.every((e: { seq: number }) => e.seq < 3)).toBe(true);
    });
  });

  describe("things that are not there", () => {
    it("another tenant's ids are 404, exactly like ids that never existed, and change nothing there", async () => {
      const globexStaff = (await t.api("GET", "/staff", { token: globexAdmin })).body.items as Array<{
        id: string;
      }>;
      const globexTeams = (await t.api("GET", "/teams", { token: globexAdmin })).body.items as Array<{
        id: string;
      }>;
      const hank = globexStaff[0]!.id;
      const support = globexTeams[0]!.id;
      const never = "00000000-0000-4000-8000-000000000000";

      const answers = [
        await call("PATCH", `/staff/${hank}`, { token: admin, body: { maxChats: 1 } }),
        await call("DELETE", `/staff/${hank}`, { token: admin }),
        await call("PATCH", `/teams/${support}`, { token: admin, body: { name: "Ours Now" } }),
        await call("DELETE", `/teams/${support}`, { token: admin }),
        await call("PATCH", `/staff/${never}`, { token: admin, body: { maxChats: 1 } }),
        await call("DELETE", `/teams/${never}`, { token: admin }),
      ];
      for (const res of answers) expectError(res, 404, "not_found");
      expect(answers[0]!.body).toEqual(answers[4]!.body);
      expect(answers[3]!.body).toEqual(answers[5]!.body);

      expect((await t.api("GET", "/staff", { token: globexAdmin })).body.items).toEqual(globexStaff);
      expect((await t.api("GET", "/teams", { token: globexAdmin })).body.items).toEqual(globexTeams);
    });

    it("an unknown API route is a 404 in the error shape, whatever the method", async () => {
      for (const [method, path] of [
        ["GET", "/nothing-here"],
        ["POST", "/nothing-here"],
        ["GET", "/staff/extra/segments"],
        ["PUT", "/staff"],
        ["DELETE", "/settings"],
      ] as const) {
        const res = await call(method, path, { token: admin });
        expectError(res, 404, "not_found");
      }
      // Without signing in as well: the route not existing is what the caller learns.
      expectError(await call("GET", "/nothing-here"), 404, "not_found");
      const beyond = await t.app.inject({ method: "GET", url: "/api/v2/staff" });
      expect(beyond.statusCode).toBe(404);
      expect(JSON.parse(beyond.body).error.code).toBe("not_found");
    });

    it("unauthenticated and forbidden answers have the same shape", async () => {
      expectError(await call("GET", "/staff"), 401, "unauthenticated");
      expectError(
        await call("GET", "/staff", { token: "sbs_this-is-not-a-real-token-at-all-not-at-all-x" }),
        401,
        "unauthenticated",
      );
      expectError(
        await call("GET", "/staff", { headers: { authorization: "Basic YWRtaW46YWRtaW4=" } }),
        401,
        "unauthenticated",
      );
      const agent = await t.login("sarah@acme.test");
      expectError(
        await call("POST", "/staff", {
          token: agent,
          body: { email: "x@acme.test", name: "X", role: "admin" },
        }),
        403,
        "forbidden",
      );
    });
  });

  it("no error answer carries a stack trace, a source path, SQL or a framework code", async () => {
    // A few more that reach deep into the server, on top of everything the tests above collected.
    await call("POST", "/teams", { token: admin, body: { name: "Night\u0000Watch" } });
    await raw("POST", "/teams", "{", "application/json");
    await call("GET", `/audit-log?cursor=${Buffer.from('{"k":"x","id":"y"}').toString("base64url")}`, {
      token: admin,
    });
    expect(errors.length).toBeGreaterThan(40);
    for (const { what, res } of errors) {
      expect(res.status, what).toBeLessThan(500);
      const text = JSON.stringify(res.body);
      for (const pattern of internals) expect(text, `${what} answered ${text}`).not.toMatch(pattern);
      expect(Object.keys(res.body), what).toEqual(["error"]);
      expect(Object.keys(res.body.error).sort(), what).toEqual(
        res.body.error.details ? ["code", "details", "message"] : ["code", "message"],
      );
      expect(res.body.error.code, what).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });
});
