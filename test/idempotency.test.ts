import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "./helpers/app";

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

interface Team {
  id: string;
  name: string;
}

describe("Idempotency-Key", () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;

  const teams = async (): Promise<Team[]> => (await t.api("GET", "/teams", { token: admin })).body.items;
  const named = async (name: string) => (await teams()).filter((x) => x.name === name);
  const createdEntries = async (id: string) =>
    (await t.api("GET", `/audit-log?action=team.created&subjectId=${id}`, { token: admin })).body.items
      .length;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login("admin@acme.test");
    supervisor = await t.login("supervisor@acme.test");
  });
  afterAll(() => t.close());

  it("a retry with the same key gets the first answer again and creates nothing more", async () => {
    const headers = { "idempotency-key": "create-night-shift-7f3a" };
    const first = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Night Shift" } });
    expect(first.status).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();

    const retry = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Night Shift" } });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers["idempotent-replayed"]).toBe("true");

    // A retry whose body differs is not a retry: it is refused, and does not act.
    const changed = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Day Shift" } });
    expect(changed.status).toBe(409);

    expect(await named("Night Shift")).toHaveLength(1);
    expect(await named("Day Shift")).toHaveLength(0);
    expect(await createdEntries(first.body.id)).toBe(1);
  });

  it("works for updates and deletions too", async () => {
    const [team] = await named("Night Shift");
    const headers = { "idempotency-key": "rename-night-shift" };
    const first = await t.api("PATCH", `/teams/${team!.id}`, {
      token: admin,
      headers,
      body: { name: "Late Shift" },
    });
    expect(first.status).toBe(200);
    // Someone renames it back in between; the retry must not rename it again.
    expect(
      (await t.api("PATCH", `/teams/${team!.id}`, { token: admin, body: { name: "Night Shift" } })).status,
    ).toBe(200);
    const retry = await t.api("PATCH", `/teams/${team!.id}`, {
      token: admin,
      headers,
      body: { name: "Late Shift" },
    });
    expect(retry.body).toEqual(first.body);
    expect(await named("Night Shift")).toHaveLength(1);

    const del = { "idempotency-key": "delete-night-shift" };
    expect((await t.api("DELETE", `/teams/${team!.id}`, { token: admin, headers: del })).status).toBe(200);
    const again = await t.api("DELETE", `/teams/${team!.id}`, { token: admin, headers: del });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ok: true });
    // Without the key, the second deletion is told the team is gone.
    expectError(await t.api("DELETE", `/teams/${team!.id}`, { token: admin }), 404, "not_found");
  });

  it("the same key on another path or method is a 409 conflict and does nothing", async () => {
    const headers = { "idempotency-key": "weekend-crew-1" };
    const first = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Weekend Crew" } });
    expect(first.status).toBe(201);
    const staffBefore = (await t.api("GET", "/staff?limit=200", { token: admin })).body.items;

    const otherPath = await t.api("POST", "/staff", {
      token: admin,
      headers,
      body: { email: "ana@acme.test", name: "Ana Souza", role: "agent" },
    });
    expectError(otherPath, 409, "conflict");
    const otherMethod = await t.api("PATCH", `/teams/${first.body.id}`, {
      token: admin,
      headers,
      body: { name: "Weekday Crew" },
    });
    expectError(otherMethod, 409, "conflict");

    expect((await t.api("GET", "/staff?limit=200", { token: admin })).body.items).toEqual(staffBefore);
    expect(await named("Weekend Crew")).toHaveLength(1);
    expect(await named("Weekday Crew")).toHaveLength(0);
  });

  it("keys belong to the person: two people may use the same key independently", async () => {
    const headers = { "idempotency-key": "new-team" };
    const mine = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Escalations" } });
    const theirs = await t.api("POST", "/teams", {
      token: supervisor,
      headers,
      body: { name: "Onboarding" },
    });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);

    const myRetry = await t.api("POST", "/teams", { token: admin, headers, body: { name: "Escalations" } });
    const theirRetry = await t.api("POST", "/teams", {
      token: supervisor,
      headers,
      body: { name: "Onboarding" },
    });
    expect(myRetry.body).toEqual(mine.body);
    expect(theirRetry.body).toEqual(theirs.body);
    expect(await named("Escalations")).toHaveLength(1);
    expect(await named("Onboarding")).toHaveLength(1);

    // The same person in another session is the same person.
    const otherSession = await t.login("admin@acme.test");
    const fromElsewhere = await t.api("POST", "/teams", {
      token: otherSession,
      headers,
      body: { name: "Escalations" },
    });
    expect(fromElsewhere.body).toEqual(mine.body);
    expect(fromElsewhere.headers["idempotent-replayed"]).toBe("true");
  });

  it("a refused request does not use up its key", async () => {
    const headers = { "idempotency-key": "second-front-desk" };
    expectError(
      await t.api("POST", "/teams", { token: admin, headers, body: { name: "Front Desk" } }),
      409,
      "conflict",
    );
    expectError(
      await t.api("POST", "/teams", { token: admin, headers, body: { name: "" } }),
      400,
      "validation_failed",
    );
    const fixed = await t.api("POST", "/teams", {
      token: admin,
      headers,
      body: { name: "Front Desk Overflow" },
    });
    expect(fixed.status).toBe(201);
    expect(fixed.headers["idempotent-replayed"]).toBeUndefined();
    expect(await named("Front Desk Overflow")).toHaveLength(1);
  });

  it("a malformed key is a 400 naming the header, and nothing happens", async () => {
    const before = await teams();
    for (const key of ["has spaces", "x".repeat(201), "ünïcode"]) {
      const res = await t.api("POST", "/teams", {
        token: admin,
        headers: { "idempotency-key": key },
        body: { name: "Bad Key Team" },
      });
      expectError(res, 400, "validation_failed");
      expect(Object.keys(res.body.error.details.fields)).toEqual(["Idempotency-Key"]);
    }
    expect(await teams()).toEqual(before);
  });

  it("reads are not affected by a key", async () => {
    const headers = { "idempotency-key": "read-teams" };
    const first = await t.api("GET", "/teams", { token: admin, headers });
    expect((await t.api("POST", "/teams", { token: admin, body: { name: "Quality" } })).status).toBe(201);
    const second = await t.api("GET", "/teams", { token: admin, headers });
    expect(second.body.items.length).toBe(first.body.items.length + 1);
  });
});

describe("Idempotency-Key under concurrency and misuse", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("two identical requests at once run once: the other is told it is in progress or gets the first answer", async () => {
    const token = await t.login("supervisor@acme.test");
    const headers = { "idempotency-key": "night-shift-parallel" };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.api("POST", "/teams", { token, headers, body: { name: "Parallel Shift" } }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((x) => x.status !== 201)) expect(a.status).toBe(409);
    const ids = new Set(created.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const teams = await t.api("GET", "/teams", { token });
    expect(teams.body.items.filter((x: { name: string }) => x.name === "Parallel Shift")).toHaveLength(1);
  });

  it("the same key with a different body is refused", async () => {
    const token = await t.login("supervisor@acme.test");
    const headers = { "idempotency-key": "weekend-team" };
    expect((await t.api("POST", "/teams", { token, headers, body: { name: "Weekend" } })).status).toBe(201);
    const other = await t.api("POST", "/teams", { token, headers, body: { name: "Weekday" } });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/different request/);
    const teams = await t.api("GET", "/teams", { token });
    expect(teams.body.items.some((x: { name: string }) => x.name === "Weekday")).toBe(false);
  });
});
