import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell } from "../src/server/modules/reports/csv";
import { createTestApp, type TestApp } from "./helpers/app";

type Row = Record<string, string | number | null>;
const s = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const march = "from=2025-03-01&to=2025-03-31";
const weeks = "from=2025-03-03&to=2025-03-23&interval=week";

describe("reports", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const ok = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await t.api(method, path, { token, body: body ?? (method === "GET" ? undefined : {}) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const report = async (name: string, query: string, who = "supervisor") =>
    (await ok("GET", `/reports/${name}?${query}`, tokens[who]!)) as { rows: Row[]; columns: string[] };
  const setTimes = (
    table: "conversations" | "tickets" | "calls",
    id: string,
    times: Record<string, string | number>,
  ) =>
    t.database.db.execute(
      sql`update ${sql.identifier(table)} set ${sql.join(
        Object.entries(times).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`),
        sql`, `,
      )} where id = ${id}`,
    );
  /** A call of the tenant placed at `at`, answered after `wait` seconds by the agent, as told. */
  const call = (
    status: string,
    at: string,
    o: { agent?: string; wait?: number; duration?: number; quality?: number } = {},
    tenant = "acme",
  ) =>
    t.database.db.execute(sql`
      insert into calls (tenant_id, status, customer_id, agent_id, created_at, queued_at, answered_at, ended_at,
                         duration_seconds, quality, poor_quality)
      values ((select id from tenants where slug = ${tenant}), ${status}, ${tenant === "acme" ? ids.john! : null},
              ${o.agent ? ids[o.agent]! : null}, ${at}, ${at}, ${o.wait === undefined ? null : s(at, o.wait)},
              ${s(at, (o.wait ?? 60) + (o.duration ?? 0))}, ${o.duration ?? null}, ${o.quality ?? null},
              ${o.quality !== undefined && o.quality < 3.1})`);
  const say = (who: string, conversationId: string) =>
    ok("POST", `/conversations/${conversationId}/messages`, tokens[who]!, {
      body: "Here to help.",
      clientId: crypto.randomUUID(),
    });

  /**
   * A customer's chat, given to an agent by the admin, answered, resolved and rated as told, then moved to its
   * moment: waits, first responses and resolutions in seconds from its start.
   */
  async function chat(
    customer: string,
    at: string,
    o: { agent?: string; wait?: number; reply?: number; resolve?: number; rate?: number } = {},
  ) {
    const c = await ok("POST", "/conversations", tokens[customer]!, {
      subject: `Chat at ${at}`,
      message: "Hello",
    });
    const times: Record<string, string | number> = { created_at: at, queued_at: at };
    if (o.agent) {
      await ok("POST", `/conversations/${c.id}/assign`, tokens.admin!, { assigneeId: ids[o.agent] });
      times.assigned_at = s(at, o.wait!);
    }
    if (o.reply !== undefined) {
      await say(o.agent!, c.id);
      times.first_response_at = s(at, o.reply);
    }
    if (o.resolve !== undefined) {
      await ok("POST", `/conversations/${c.id}/resolve`, tokens[o.agent!]!);
      times.resolved_at = s(at, o.resolve);
    }
    if (o.rate) await ok("POST", `/conversations/${c.id}/rating`, tokens[customer]!, { score: o.rate });
    await setTimes("conversations", c.id, times);
    return c;
  }

  /** A ticket opened by a customer, worked by an agent as told, then moved to its moment. */
  async function ticket(
    customer: string,
    at: string,
    priority: string,
    o: { agent?: string; reply?: number; resolve?: number; rate?: number } = {},
  ) {
    const k = await ok("POST", "/tickets", tokens[customer]!, {
      subject: `Ticket at ${at}`,
      description: "Something needs looking at.",
      category: "general",
      priority,
    });
    const times: Record<string, string> = { created_at: at };
    if (o.agent) await ok("PATCH", `/tickets/${k.id}`, tokens.admin!, { assigneeId: ids[o.agent] });
    if (o.reply !== undefined) {
      await say(o.agent!, k.conversationId);
      times.first_response_at = s(at, o.reply);
    }
    if (o.resolve !== undefined) {
      await ok("PATCH", `/tickets/${k.id}`, tokens[o.agent!]!, { status: "resolved" });
      times.resolved_at = s(at, o.resolve);
    }
    if (o.rate) await ok("POST", `/tickets/${k.id}/rating`, tokens[customer]!, { score: o.rate });
    await setTimes("tickets", k.id, times);
    return k;
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const who of ["admin", "supervisor", "lead", "sarah", "mike", "john", "jane", "bob"]) {
      tokens[who] = await t.login(`${who}@acme.test`);
      ids[who] = (await ok("GET", "/me", tokens[who]!)).user.id;
    }
    tokens.globex = await t.login("admin@globex.test", "globex");
    tokens.marge = await t.login("marge@globex.test", "globex");

    // A call answered through the API first, while no chat waits that sarah would be given on coming online.
    await ok("PATCH", "/me/availability", tokens.sarah!, { status: "online" });
    const rung = await ok("POST", "/calls", tokens.john!);
    expect(rung.status).toBe("ringing");
    expect((await ok("POST", `/calls/${rung.id}/answer`, tokens.sarah!)).status).toBe("active");
    expect((await ok("POST", `/calls/${rung.id}/end`, tokens.john!)).status).toBe("completed");
    await ok("PATCH", "/me/availability", tokens.sarah!, { status: "offline" });
    await setTimes("calls", rung.id, {
      created_at: "2025-03-05T10:00:00Z",
      queued_at: "2025-03-05T10:00:00Z",
      answered_at: "2025-03-05T10:00:30Z",
      ended_at: "2025-03-05T10:03:50Z",
      duration_seconds: 200,
      quality: 4,
      poor_quality: "false",
    });
    await chat("john", "2025-03-03T10:00:00Z", {
      agent: "sarah",
      wait: 10,
      reply: 60,
      resolve: 600,
      rate: 5,
    });
    await chat("jane", "2025-03-04T09:00:00Z", {
      agent: "sarah",
      wait: 20,
      reply: 120,
      resolve: 604_800,
      rate: 3,
    });
    // 03:00 UTC on the 10th is still the 9th in New York.
    await chat("bob", "2025-03-10T03:00:00Z", { agent: "mike", wait: 30, reply: 300 });
    await chat("john", "2025-03-12T12:00:00Z", { agent: "mike", wait: 40 });
    await chat("jane", "2025-03-12T13:00:00Z");
    await chat("bob", "2025-03-18T08:00:00Z", {
      agent: "sarah",
      wait: 100,
      reply: 100,
      resolve: 1000,
      rate: 1,
    });

    await ticket("john", "2025-03-05T10:00:00Z", "medium", {
      agent: "sarah",
      reply: 100,
      resolve: 86_400,
      rate: 4,
    });
    await ticket("jane", "2025-03-05T11:00:00Z", "urgent", {
      agent: "mike",
      reply: 200,
      resolve: 604_800,
      rate: 2,
    });
    await ticket("bob", "2025-03-13T10:00:00Z", "high", { agent: "sarah" });
    await ticket("john", "2025-03-19T10:00:00Z", "low");
    // Opened in February, resolved on 3 March: resolved in the range, started before it.
    await ticket("jane", "2025-02-20T10:00:00Z", "medium", { agent: "mike", resolve: 11 * 86_400 });

    // Globex works on the same days; none of it may reach acme's reports.
    const g = await ok("POST", "/conversations", tokens.marge!, { subject: "Globex", message: "Hi" });
    await setTimes("conversations", g.id, {
      created_at: "2025-03-05T10:00:00Z",
      queued_at: "2025-03-05T10:00:00Z",
    });
    const gt = await ok("POST", "/tickets", tokens.marge!, {
      subject: "Globex ticket",
      description: "Something at Globex.",
      category: "general",
      priority: "urgent",
    });
    await setTimes("tickets", gt.id, { created_at: "2025-03-05T10:00:00Z" });

    // More calls, placed (created and queued) at the time given; waits and durations in seconds.
    await call("completed", "2025-03-03T10:00:00Z", {
      agent: "sarah",
      wait: 20,
      duration: 300,
      quality: 4.5,
    });
    await call("completed", "2025-03-03T11:00:00Z", { agent: "mike", wait: 40, duration: 100, quality: 2 });
    await call("missed", "2025-03-03T12:00:00Z");
    await call("abandoned", "2025-03-05T09:00:00Z");
    // Answered, then lost: its wait counts, it is not an answered call.
    await call("failed", "2025-03-05T11:00:00Z", { agent: "mike", wait: 10 });
    // Placed the day before the range: in none of March's figures.
    await call("completed", "2025-02-28T23:00:00Z", { agent: "sarah", wait: 5, duration: 50, quality: 1 });
    await call("completed", "2025-03-03T10:00:00Z", { wait: 5, duration: 999, quality: 1 }, "globex");
  }, 120_000);
  afterAll(() => t.close());

  it("conversations: chats started and resolved per day, every day present, ticket threads left out", async () => {
    const r = await report("conversations", "from=2025-03-01&to=2025-03-20");
    expect(r).toMatchObject({ name: "conversations", kind: "series", interval: "day", timezone: "UTC" });
    expect(r.columns).toEqual(["start", "end", "started", "resolved"]);
    expect(r.rows).toHaveLength(20);
    const busy = r.rows.filter((x) => x.started || x.resolved);
    expect(busy).toEqual([
      { start: "2025-03-03", end: "2025-03-03", started: 1, resolved: 1 },
      { start: "2025-03-04", end: "2025-03-04", started: 1, resolved: 0 },
      { start: "2025-03-10", end: "2025-03-10", started: 1, resolved: 0 },
      { start: "2025-03-11", end: "2025-03-11", started: 0, resolved: 1 },
      { start: "2025-03-12", end: "2025-03-12", started: 2, resolved: 0 },
      { start: "2025-03-18", end: "2025-03-18", started: 1, resolved: 1 },
    ]);
    expect(r.rows[0]).toEqual({ start: "2025-03-01", end: "2025-03-01", started: 0, resolved: 0 });
  });

  it("tickets: created by priority and resolved, per week from Monday, the first and last weeks cut to the range", async () => {
    const r = await report("tickets", "from=2025-03-05&to=2025-03-20&interval=week");
    expect(r.rows).toEqual([
      {
        start: "2025-03-05",
        end: "2025-03-09",
        created: 2,
        resolved: 1,
        createdLow: 0,
        createdMedium: 1,
        createdHigh: 0,
        createdUrgent: 1,
      },
      {
        start: "2025-03-10",
        end: "2025-03-16",
        created: 1,
        resolved: 1,
        createdLow: 0,
        createdMedium: 0,
        createdHigh: 1,
        createdUrgent: 0,
      },
      {
        start: "2025-03-17",
        end: "2025-03-20",
        created: 1,
        resolved: 0,
        createdLow: 1,
        createdMedium: 0,
        createdHigh: 0,
        createdUrgent: 0,
      },
    ]);
    const whole = await report("tickets", weeks);
    expect(whole.rows[0]).toMatchObject({ start: "2025-03-03", created: 2, resolved: 2 });
  });

  it("ratings: count, average and distribution of the chats and tickets started in each week", async () => {
    const r = await report("ratings", weeks);
    expect(r.rows).toEqual([
      {
        start: "2025-03-03",
        end: "2025-03-09",
        count: 4,
        avg: 3.5,
        score1: 0,
        score2: 1,
        score3: 1,
        score4: 1,
        score5: 1,
      },
      {
        start: "2025-03-10",
        end: "2025-03-16",
        count: 0,
        avg: null,
        score1: 0,
        score2: 0,
        score3: 0,
        score4: 0,
        score5: 0,
      },
      {
        start: "2025-03-17",
        end: "2025-03-23",
        count: 1,
        avg: 1,
        score1: 1,
        score2: 0,
        score3: 0,
        score4: 0,
        score5: 0,
      },
    ]);
  });

  it("response times: averages and medians of first response and resolution, chats and tickets apart", async () => {
    const r = await report("response-times", `${march}&interval=month`);
    expect(r.rows).toEqual([
      {
        start: "2025-03-01",
        end: "2025-03-31",
        chatFirstResponseAvg: 145,
        chatFirstResponseMedian: 110,
        chatResolutionAvg: 202_133,
        chatResolutionMedian: 1000,
        ticketFirstResponseAvg: 150,
        ticketFirstResponseMedian: 150,
        ticketResolutionAvg: 345_600,
        ticketResolutionMedian: 345_600,
      },
    ]);
  });

  it("queue waits: from entering the queue to being assigned, average and 90th percentile", async () => {
    expect((await report("queue-waits", `${march}&interval=month`)).rows).toEqual([
      {
        start: "2025-03-01",
        end: "2025-03-31",
        queued: 6,
        assigned: 5,
        avgWaitSeconds: 40,
        p90WaitSeconds: 76,
      },
    ]);
    expect((await report("queue-waits", weeks)).rows).toEqual([
      {
        start: "2025-03-03",
        end: "2025-03-09",
        queued: 2,
        assigned: 2,
        avgWaitSeconds: 15,
        p90WaitSeconds: 19,
      },
      {
        start: "2025-03-10",
        end: "2025-03-16",
        queued: 3,
        assigned: 2,
        avgWaitSeconds: 35,
        p90WaitSeconds: 39,
      },
      {
        start: "2025-03-17",
        end: "2025-03-23",
        queued: 1,
        assigned: 1,
        avgWaitSeconds: 100,
        p90WaitSeconds: 100,
      },
    ]);
  });

  it("calls: placed, answered, missed and abandoned, waits, durations and quality, in the day they were placed", async () => {
    const r = await report("calls", "from=2025-03-02&to=2025-03-06");
    expect(r.columns).toEqual([
      "start",
      "end",
      "placed",
      "answered",
      "missed",
      "abandoned",
      "avgWaitSeconds",
      "avgDurationSeconds",
      "avgQuality",
      "poorQuality",
    ]);
    const empty = { placed: 0, answered: 0, missed: 0, abandoned: 0, poorQuality: 0 };
    const none = { avgWaitSeconds: null, avgDurationSeconds: null, avgQuality: null };
    expect(r.rows).toEqual([
      { start: "2025-03-02", end: "2025-03-02", ...empty, ...none },
      {
        start: "2025-03-03",
        end: "2025-03-03",
        placed: 3,
        answered: 2,
        missed: 1,
        abandoned: 0,
        avgWaitSeconds: 30,
        avgDurationSeconds: 200,
        avgQuality: 3.25,
        poorQuality: 1,
      },
      { start: "2025-03-04", end: "2025-03-04", ...empty, ...none },
      {
        start: "2025-03-05",
        end: "2025-03-05",
        placed: 3,
        answered: 1,
        missed: 0,
        abandoned: 1,
        // (30 s + 10 s for the call lost after its answer) / 2.
        avgWaitSeconds: 20,
        avgDurationSeconds: 200,
        avgQuality: 4,
        poorQuality: 0,
      },
      { start: "2025-03-06", end: "2025-03-06", ...empty, ...none },
    ]);
    expect((await report("calls", `${march}&interval=month`)).rows).toEqual([
      {
        start: "2025-03-01",
        end: "2025-03-31",
        placed: 6,
        answered: 3,
        missed: 1,
        abandoned: 1,
        avgWaitSeconds: 25,
        avgDurationSeconds: 200,
        avgQuality: 3.5,
        poorQuality: 1,
      },
    ]);
    const globex = (await ok("GET", `/reports/calls?${march}&interval=month`, tokens.globex!)) as {
      rows: Row[];
    };
    expect(globex.rows[0]).toMatchObject({ placed: 1, answered: 1, avgDurationSeconds: 999, poorQuality: 1 });
    const csv = await t.api("GET", "/reports/calls?from=2025-03-03&to=2025-03-04&format=csv", {
      token: tokens.supervisor,
    });
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="calls-2025-03-03-2025-03-04.csv"');
    expect(String(csv.body).split("\r\n")).toEqual([
      "start,end,placed,answered,missed,abandoned,avgWaitSeconds,avgDurationSeconds,avgQuality,poorQuality",
      "2025-03-03,2025-03-03,3,2,1,0,30,200,3.25,1",
      "2025-03-04,2025-03-04,0,0,0,0,,,,0",
      "",
    ]);
  });

  it("agents and teams: a leaderboard over the range, most work first", async () => {
    const agents = await report("agents", march);
    expect(
      agents.rows.map((x) => [
        x.email,
        x.chatsHandled,
        x.ticketsResolved,
        x.avgFirstResponseSeconds,
        x.avgRating,
        x.ratings,
        x.callsAnswered,
        x.avgCallDurationSeconds,
        x.avgCallQuality,
      ]),
    ).toEqual([
      ["sarah@acme.test", 3, 1, 95, 3.25, 4, 2, 250, 4.25],
      ["mike@acme.test", 2, 2, 250, 2, 1, 1, 100, 2],
      ["admin@acme.test", 0, 0, null, null, 0, 0, null, null],
      ["supervisor@acme.test", 0, 0, null, null, 0, 0, null, null],
      ["lead@acme.test", 0, 0, null, null, 0, 0, null, null],
    ]);
    expect(agents.rows[0]).toMatchObject({
      agentId: ids.sarah,
      name: "Sarah Johnson",
      role: "agent",
      team: "Front Desk",
    });

    await ok("POST", "/teams", tokens.admin!, { name: 'Cards, "Gold"' });
    const teams = await report("teams", march);
    expect(
      teams.rows.map((x) => [
        x.team,
        x.members,
        x.chatsHandled,
        x.ticketsResolved,
        x.avgFirstResponseSeconds,
        x.avgRating,
        x.ratings,
        x.callsAnswered,
        x.avgCallDurationSeconds,
        x.avgCallQuality,
      ]),
    ).toEqual([
      // Calls: (300 + 200 + 100) / 3 s and (4.5 + 4 + 2) / 3.
      ["Front Desk", 3, 5, 3, 147, 3, 5, 3, 200, 3.5],
      ['Cards, "Gold"', 0, 0, 0, null, null, 0, 0, null, null],
    ]);
    const csv = await t.api("GET", `/reports/teams?${march}&format=csv`, { token: tokens.admin });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="teams-2025-03-01-2025-03-31.csv"');
    const lines = String(csv.body).split("\r\n");
    expect(lines[0]).toBe(
      "teamId,team,members,chatsHandled,ticketsResolved,avgFirstResponseSeconds,avgRating,ratings,callsAnswered,avgCallDurationSeconds,avgCallQuality",
    );
    expect(lines[2]).toMatch(/^[0-9a-f-]{36},"Cards, ""Gold""",0,0,0,,,0,0,,$/);
    expect(lines.at(-1)).toBe("");
  });

  it("a series as CSV: a header row, then one line per bucket", async () => {
    const csv = await t.api("GET", `/reports/conversations?${weeks}&format=csv`, {
      token: tokens.supervisor,
    });
    expect(csv.headers["content-disposition"]).toBe(
      'attachment; filename="conversations-2025-03-03-2025-03-23.csv"',
    );
    expect(csv.body).toBe(
      "start,end,started,resolved\r\n2025-03-03,2025-03-09,2,1\r\n2025-03-10,2025-03-16,3,1\r\n2025-03-17,2025-03-23,1,1\r\n",
    );
  });

  it("cells are quoted where needed, and text a spreadsheet would run as a formula is defused", () => {
    expect(
      ["plain", 'say "hi"', "a,b", "two\nlines", " padded", "=SUM(A1)", "+1", "-2", "@me", -2, 1.5, null].map(
        csvCell,
      ),
    ).toEqual([
      "plain",
      '"say ""hi"""',
      '"a,b"',
      '"two\nlines"',
      '" padded"',
      "'=SUM(A1)",
      "'+1",
      "'-2",
      "'@me",
      "-2",
      "1.5",
      "",
    ]);
  });

  it("buckets are days of the tenant's zone when its business hours name one", async () => {
    const day = { open: "09:00", close: "17:00" };
    await ok("PATCH", "/settings", tokens.admin!, {
      businessHours: {
        timezone: "America/New_York",
        days: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: null, sun: null },
      },
    });
    const r = await report("conversations", "from=2025-03-09&to=2025-03-10");
    expect(r).toMatchObject({ timezone: "America/New_York" });
    expect(r.rows).toEqual([
      { start: "2025-03-09", end: "2025-03-09", started: 1, resolved: 0 },
      { start: "2025-03-10", end: "2025-03-10", started: 0, resolved: 0 },
    ]);
    await ok("PATCH", "/settings", tokens.admin!, { businessHours: null });
    expect(
      (await report("conversations", "from=2025-03-09&to=2025-03-10")).rows.map((x) => x.started),
    ).toEqual([0, 1]);
  });

  it("each tenant sees its own figures only", async () => {
    const globex = (await ok("GET", `/reports/tickets?${march}&interval=month`, tokens.globex!)) as {
      rows: Row[];
    };
    expect(globex.rows).toEqual([expect.objectContaining({ created: 1, createdUrgent: 1, resolved: 0 })]);
    const conv = (await ok("GET", `/reports/conversations?${march}&interval=month`, tokens.globex!)) as {
      rows: Row[];
    };
    expect(conv.rows[0]).toMatchObject({ started: 1 });
    expect((await report("tickets", `${march}&interval=month`)).rows[0]).toMatchObject({
      created: 4,
      createdUrgent: 1,
    });
    expect(
      (await report("agents", march, "admin")).rows.some((x) => String(x.email).endsWith("globex.test")),
    ).toBe(false);
  });

  it("without a range: the last 30 days up to today, by day", async () => {
    const r = await report("conversations", "");
    const today = new Date().toISOString().slice(0, 10);
    expect(r.rows).toHaveLength(30);
    expect(r.rows.at(-1)).toMatchObject({ end: today });
    expect(await report("tickets", "from=2024-01-01&to=2024-12-31")).toMatchObject({
      interval: "week",
      rows: expect.any(Array),
    });
  });

  it("refuses bad ranges with the field that is wrong, and unknown reports with 404", async () => {
    const cases: Array<[string, string]> = [
      ["from=2025-02-30&to=2025-03-01", "from"],
      ["from=yesterday&to=2025-03-01", "from"],
      ["from=2025-03-01&to=2025-3-5", "to"],
      ["from=2025-03-02&to=2025-03-01", "from"],
      ["from=2024-01-01&to=2025-01-01&interval=week", "to"],
      ["from=2025-01-01&to=2025-04-03&interval=day", "interval"],
      ["from=2025-03-01&to=2025-03-06&interval=week", "interval"],
      ["from=2025-03-01&to=2025-03-27&interval=month", "interval"],
      ["from=2025-03-01&to=2025-03-27&interval=hour", "interval"],
      [`${march}&format=xml`, "format"],
      [`${march}&team=x`, "team"],
    ];
    for (const [query, field] of cases) {
      const res = await t.api("GET", `/reports/tickets?${query}`, { token: tokens.admin });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(Object.keys(res.body.error.details.fields), query).toContain(field);
    }
    // The calls report checks its range the same way.
    for (const [query, field] of cases.slice(0, 7)) {
      const res = await t.api("GET", `/reports/calls?${query}`, { token: tokens.admin });
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.body.error.details.fields), query).toContain(field);
    }
    // The longest allowed: 92 days by day, 366 by week.
    expect((await report("tickets", "from=2025-01-01&to=2025-04-02&interval=day")).rows).toHaveLength(92);
    expect((await report("tickets", "from=2024-01-01&to=2024-12-31&interval=month")).rows).toHaveLength(12);
    for (const name of ["call", "__proto__", "constructor", "toString"]) {
      const res = await t.api("GET", `/reports/${name}?${march}`, { token: tokens.admin });
      expect(res.status, name).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });

  it("is for supervisors and above", async () => {
    for (const who of ["sarah", "lead", "john"]) {
      const res = await t.api("GET", `/reports/agents?${march}`, { token: tokens[who] });
      expect(res.status, who).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    const csv = await t.api("GET", `/reports/agents?${march}&format=csv`, { token: tokens.sarah });
    expect(csv.status).toBe(403);
    expect((await t.api("GET", `/reports/agents?${march}`)).status).toBe(401);
  });
});
