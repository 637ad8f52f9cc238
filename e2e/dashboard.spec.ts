import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { signedInPage } from "./support/chat";
import {
  expectText,
  type Journey,
  pathOf,
  setupTimeout,
  signIn,
  startJourney,
  waitForPath,
} from "./support/journey";
import { setTheme, shootThemes } from "./support/screens";

const poll = { timeout: 15_000 };

/** One series' figures in a chart's "Figures" table, period by period (periods without one left out). */
async function figures(page: Page, chart: string, series: string): Promise<number[]> {
  const cells = await page.getByTestId(chart).getByTestId(`${chart}-${series}`).allTextContents();
  return cells.filter((c) => c !== "—").map(Number);
}

async function seriesTotal(page: Page, chart: string, series: string): Promise<number> {
  return (await figures(page, chart, series)).reduce((a, b) => a + b, 0);
}

/** The bars or dots the chart draws for one series (a period at zero or without a figure draws none). */
const drawn = (page: Page, chart: string, series: string) =>
  page
    .getByTestId(chart)
    .locator(
      `:is(.chart-series-${series} path.recharts-rectangle, circle.recharts-dot.chart-series-${series})`,
    );

const day = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

describe.skipIf(skipBrowserJourneys)("the admin dashboard", () => {
  let j: Journey;
  let admin: Page;
  const tokens: Record<string, string> = {};

  const ok = async (method: string, path: string, who: string, body?: unknown) => {
    const res = await j.api(method, path, {
      token: tokens[who],
      body: body ?? (method === "GET" ? undefined : {}),
    });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const exec = (query: ReturnType<typeof sql>) => j.app.deps.database.db.execute(query);
  const reply = (who: string, conversationId: string) =>
    ok("POST", `/conversations/${conversationId}/messages`, who, {
      body: "On it.",
      clientId: crypto.randomUUID(),
    });

  beforeAll(async () => {
    j = await startJourney();
    for (const who of ["admin", "sarah", "mike", "john", "jane", "bob"])
      tokens[who] = await j.login(`${who}@acme.test`);
    // A chat Sarah answered after 90 s and resolved after 30 minutes, rated 5.
    await ok("PATCH", "/me/availability", "sarah", { status: "online" });
    const chat = await ok("POST", "/conversations", "john", { subject: "Card blocked", message: "Help" });
    await reply("sarah", chat.id);
    await ok("POST", `/conversations/${chat.id}/resolve`, "sarah");
    await ok("POST", `/conversations/${chat.id}/rating`, "john", { score: 5 });
    await exec(sql`update conversations set created_at = now() - interval '2 hours', queued_at = now() - interval '2 hours',
      first_response_at = now() - interval '2 hours' + interval '90 seconds',
      resolved_at = now() - interval '90 minutes' where id = ${chat.id}`);
    // Tickets: one urgent and open, one in progress, one answered after 150 s and resolved after 2 hours, rated 3.
    await ok("POST", "/tickets", "jane", {
      subject: "Fraud alert",
      description: "Payments I did not make.",
      category: "security",
      priority: "urgent",
    });
    const working = await ok("POST", "/tickets", "bob", {
      subject: "New card",
      description: "Please send a new card.",
      category: "account",
    });
    await ok("PATCH", `/tickets/${working.id}`, "sarah", { status: "in_progress" });
    const done = await ok("POST", "/tickets", "john", {
      subject: "Fee refund",
      description: "A fee was charged twice.",
      category: "billing",
    });
    await ok("PATCH", `/tickets/${done.id}`, "admin", {
      assigneeId: (await ok("GET", "/me", "sarah")).user.id,
    });
    await reply("sarah", done.conversationId);
    await ok("PATCH", `/tickets/${done.id}`, "sarah", { status: "resolved" });
    await ok("POST", `/tickets/${done.id}/rating`, "john", { score: 3 });
    await exec(sql`update tickets set created_at = now() - interval '3 hours',
      first_response_at = now() - interval '3 hours' + interval '150 seconds',
      resolved_at = now() - interval '1 hour' where id = ${done.id}`);
    // One resolved by Sarah 45 days ago: only longer ranges see it.
    const old = await ok("POST", "/tickets", "bob", {
      subject: "Old question",
      description: "From last quarter.",
      category: "general",
    });
    await ok("PATCH", `/tickets/${old.id}`, "admin", {
      assigneeId: (await ok("GET", "/me", "sarah")).user.id,
    });
    await ok("PATCH", `/tickets/${old.id}`, "sarah", { status: "resolved" });
    await exec(sql`update tickets set created_at = now() - interval '45 days', resolved_at = now() - interval '44 days'
      where id = ${old.id}`);
    // Mike comes online too; with assignment by hand, Bob's chat waits in the queue.
    await ok("PATCH", "/me/availability", "mike", { status: "online" });
    await ok("PATCH", "/settings", "admin", { autoAssignment: false });
    await ok("POST", "/conversations", "bob", { subject: "Waiting", message: "Anyone there?" });
    // Calls: Sarah answers John's and Bob's, Jane hangs up while it rings, a call of John's is missed, and Mike
    // is still on Bob's second call.
    const call = async (customer: string, agent: string | null, hangUp = true) => {
      const placed = await ok("POST", "/calls", customer);
      if (agent) expect((await ok("POST", `/calls/${placed.id}/answer`, agent)).status).toBe("active");
      if (hangUp) await ok("POST", `/calls/${placed.id}/end`, customer);
      return placed.id as string;
    };
    await call("john", "sarah");
    await call("bob", "sarah");
    await call("jane", null);
    const unanswered = await call("john", null, false);
    await exec(sql`update calls set status = 'missed', ended_at = now(), end_reason = 'no_answer'
      where id = ${unanswered}`);
    await call("bob", "mike", false);
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("an admin lands on the dashboard and sees the figures of what happened", async () => {
    admin = await j.newPage();
    await signIn(admin, j.url, { tenant: "acme", email: "admin@acme.test" });
    await waitForPath(admin, "/admin/dashboard");
    const stats = await ok("GET", "/stats", "admin");
    const expected: Record<string, string> = {
      "open-tickets": "1",
      "in-progress": "1",
      urgent: "1",
      queued: "1",
      rating: "4.00 / 5",
      // (30 minutes + 2 hours) / 2 and (90 s + 150 s) / 2.
      resolution: "1 h 15 min",
      "first-response": "2 min",
      activity: String(stats.activity24h),
      staff: "2",
      "queued-calls": "0",
      "active-calls": "1",
    };
    for (const [id, value] of Object.entries(expected)) await expectText(admin, `stat-${id}-value`, value);
    expect(await admin.getByTestId("stat-staff-note").textContent()).toBe("0 % of their chat places in use");
    // Urgent work is red.
    const colour = (testId: string) => admin.getByTestId(testId).evaluate((el) => getComputedStyle(el).color);
    expect(await colour("stat-urgent-value")).not.toBe(await colour("stat-open-tickets-value"));
    expect(await admin.getByTestId("stat-urgent").getAttribute("class")).toContain("dashboard-card-alert");
    expect(await admin.getByTestId("admin-tab-dashboard").getAttribute("aria-selected")).toBe("true");
  });

  it("trend charts and the leaderboard follow the chosen range", async () => {
    await admin.getByTestId("chart-tickets").waitFor(poll);
    await expect.poll(() => seriesTotal(admin, "chart-tickets", "created"), poll).toBe(3);
    await expect.poll(() => seriesTotal(admin, "chart-tickets", "resolved"), poll).toBe(1);
    // The chart draws a bar for each period with tickets, and its tooltip tells the figure of the table.
    const opened = await figures(admin, "chart-tickets", "created");
    const bars = drawn(admin, "chart-tickets", "created");
    await expect.poll(() => bars.count(), poll).toBe(opened.filter((n) => n > 0).length);
    await bars.last().hover();
    const tooltip = admin.getByTestId("chart-tickets").locator(".recharts-tooltip-wrapper");
    await expect
      .poll(() => tooltip.textContent(), poll)
      .toContain(`Opened : ${opened.findLast((n) => n > 0)}`);
    // Its colours are the theme's: the bars follow the dark theme too.
    const fill = () => bars.last().evaluate((el) => getComputedStyle(el).fill);
    expect(await fill()).toBe("rgb(47, 95, 208)");
    await setTheme(admin, "dark");
    expect(await fill()).toBe("rgb(109, 148, 240)");
    await setTheme(admin, "light");
    // Titled and described for screen readers, with the figures in a table.
    const chart = admin.getByTestId("chart-tickets").getByRole("application", { name: "Ticket volume" });
    expect(await chart.getAttribute("tabindex")).toBe("0");
    expect(await chart.locator("desc").textContent()).toBe("Tickets opened and resolved in each period.");
    expect(
      await admin.getByTestId("chart-tickets").locator("details table thead th").allTextContents(),
    ).toEqual(["Period", "Opened", "Resolved"]);
    // The calls: five placed, two answered, one missed, and as many bars as periods with calls.
    await expect.poll(() => seriesTotal(admin, "chart-calls", "placed"), poll).toBe(5);
    expect(await seriesTotal(admin, "chart-calls", "answered")).toBe(2);
    expect(await seriesTotal(admin, "chart-calls", "missed")).toBe(1);
    const answered = (await figures(admin, "chart-calls", "answered")).filter((n) => n > 0).length;
    await expect.poll(() => drawn(admin, "chart-calls", "answered").count(), poll).toBe(answered);
    expect(
      await admin.getByTestId("chart-calls").locator("details table thead th").allTextContents(),
    ).toEqual(["Period", "Placed", "Answered", "Missed"]);
    // One day's average of 5 and 3, or each on its own day when the test runs just after midnight, a dot each.
    await expect
      .poll(async () => (await figures(admin, "chart-ratings", "avg")).sort().join(","), poll)
      .toSatisfy((v: string) => ["4", "3,5"].includes(v));
    const ratings = (await figures(admin, "chart-ratings", "avg")).length;
    await expect.poll(() => drawn(admin, "chart-ratings", "avg").count(), poll).toBe(ratings);
    const sarah = admin.getByTestId("leaderboard-row-sarah@acme.test");
    await expect.poll(() => sarah.textContent(), poll).toContain("Sarah Johnson");
    expect(
      await admin.getByTestId("leaderboard").locator("tbody tr").first().getAttribute("data-testid"),
    ).toBe("leaderboard-row-sarah@acme.test");
    expect((await sarah.locator("td").allTextContents()).slice(2)).toEqual([
      "1",
      "1",
      "2",
      "2 min",
      "4.00 (2)",
    ]);
    await shootThemes(admin, "dashboard");

    await admin.getByTestId("dashboard-preset-90").click();
    await expect.poll(() => new URL(admin.url()).searchParams.get("from"), poll).toBe(day(-89));
    await expect.poll(() => seriesTotal(admin, "chart-tickets", "created"), poll).toBe(4);
    await expect.poll(async () => (await sarah.locator("td").allTextContents())[3], poll).toBe("2");

    await admin.getByTestId("dashboard-preset-custom").click();
    await admin.getByTestId("dashboard-from").fill(day(1));
    await admin.getByTestId("dashboard-to").fill(day(0));
    await admin.getByTestId("dashboard-apply").click();
    await expectText(admin, "dashboard-from-error", "must be on or before the end");
    await admin.getByTestId("dashboard-from").fill(day(-40));
    await admin.getByTestId("dashboard-interval").selectOption("week");
    await admin.getByTestId("dashboard-apply").click();
    await expect.poll(() => new URL(admin.url()).searchParams.get("interval"), poll).toBe("week");
    await expectText(admin, "dashboard-period", "by week");
    await expect.poll(() => seriesTotal(admin, "chart-tickets", "created"), poll).toBe(3);
    expect(j.pageErrors).toEqual([]);
  });

  it("downloads a report as CSV for the range shown", async () => {
    const download = admin.waitForEvent("download");
    await admin.getByTestId("export-tickets").click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`tickets-${day(-40)}-${day(0)}.csv`);
    const text = readFileSync((await file.path())!, "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("start,end,created,resolved,createdLow,createdMedium,createdHigh,createdUrgent");
    const created = lines.slice(1).reduce((sum, line) => sum + Number(line.split(",")[2]), 0);
    expect(created).toBe(3);
  });

  it("a team lead sees the live figures only; an agent cannot reach the dashboard", async () => {
    const lead = await signedInPage(j, "lead@acme.test", "/console");
    await lead.getByTestId("nav-dashboard").click();
    await waitForPath(lead, "/admin/dashboard");
    await expectText(lead, "stat-open-tickets-value", "1");
    expect(await lead.getByTestId("dashboard-range").count()).toBe(0);
    expect(await lead.getByTestId("chart-tickets").count()).toBe(0);
    expect(await lead.locator('[role="tab"]').allTextContents()).toEqual(["Dashboard"]);
    await lead.goto(`${j.url}/admin/staff`);
    await lead.getByTestId("forbidden").waitFor(poll);

    const agent = await signedInPage(j, "mike@acme.test", "/console");
    expect(await agent.getByTestId("nav-dashboard").count()).toBe(0);
    await agent.goto(`${j.url}/admin/dashboard`);
    await agent.getByTestId("forbidden").waitFor(poll);
    expect(pathOf(agent)).toBe("/admin/dashboard");
    expect(await agent.getByTestId("dashboard-cards").count()).toBe(0);
    expect(j.pageErrors).toEqual([]);
  });
});
