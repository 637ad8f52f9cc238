import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { sweepTicketBreaches } from "../../src/server/modules/tickets/ticket-breaches";
import { type Journey, waitForPath } from "./journey";
import { screenshotDir } from "./screens";

export const poll = { timeout: 15_000 };

/** The data attribute a ticket badge carries (`data-status` or `data-priority`), or null when it is not shown. */
export function badge(page: Page, testId: string, attr: "data-status" | "data-priority" = "data-status") {
  return page
    .getByTestId(testId)
    .first()
    .getAttribute(attr, { timeout: 5_000 })
    .catch(() => null);
}

/** Opens a ticket for a customer through the API; returns it. */
export async function openTicket(
  j: Journey,
  email: string,
  body: { subject: string; description: string; category: string; priority?: string },
) {
  const res = await j.api("POST", "/tickets", { token: await j.login(email), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; reference: string; conversationId: string };
}

export type Opened = Awaited<ReturnType<typeof openTicket>>;

/**
 * The staff journey's tickets across three customers: two active, one escalated by a missed first-response target,
 * one resolved and one closed.
 */
export async function arrangeStaffTickets(j: Journey) {
  const card = await openTicket(j, "john@acme.test", {
    subject: "Card declined at checkout",
    description: "My card is declined at every online checkout since Monday.",
    category: "billing",
    priority: "high",
  });
  const login = await openTicket(j, "jane@acme.test", {
    subject: "Cannot sign in after the update",
    description: "The app says my password is wrong since the last update.",
    category: "technical",
    priority: "urgent",
  });
  const statement = await openTicket(j, "bob@acme.test", {
    subject: "Paper statement request",
    description: "Please send me paper statements for last year.",
    category: "account",
    priority: "low",
  });
  const resolved = await openTicket(j, "bob@acme.test", {
    subject: "Wrong address on file",
    description: "My address still shows the old street name.",
    category: "account",
  });
  const closed = await openTicket(j, "jane@acme.test", {
    subject: "Feature idea: dark statements",
    description: "Statements in dark mode would be easier to read at night.",
    category: "feature_request",
    priority: "low",
  });
  const lead = await j.login("lead@acme.test");
  for (const [t, status] of [
    [resolved, "resolved"],
    [closed, "closed"],
  ] as const) {
    const res = await j.api("PATCH", `/tickets/${t.id}`, { token: lead, body: { status } });
    expect(res.status).toBe(200);
  }
  // Bob's statement ticket missed its first-response target: moved past it, then the server's own sweep flags it.
  await j.app.deps.database.db.execute(
    sql`update tickets set first_response_due_at = now() - interval '1 minute' where id = ${statement.id}`,
  );
  expect(await sweepTicketBreaches(j.app.deps)).toBe(1);
  return { card, login, statement, resolved, closed };
}

/** The references in the staff table, in any order. */
async function tableRefs(page: Page): Promise<string[]> {
  await page.getByTestId("tickets-table").waitFor(poll);
  return (await page.locator('[data-testid="tickets-table"] tbody .tk-ref').allTextContents()).sort();
}

/** Waits for the staff table to show exactly these tickets. */
export async function expectRows(page: Page, expected: Opened[]): Promise<void> {
  const refs = expected.map((t) => t.reference).sort();
  await expect.poll(() => tableRefs(page), poll).toEqual(refs);
}

export async function filterBy(page: Page, name: string, value: string): Promise<void> {
  await page.getByTestId(`filter-${name}`).selectOption(value);
}

/** Types into a list's search box and waits for the list's address to carry it. */
export async function searchFor(page: Page, q: string): Promise<void> {
  await page.getByTestId("tickets-search").fill(q);
  await page.waitForURL((url) => (url.searchParams.get("q") ?? "") === q, poll);
}

/**
 * A modal dialog covers the header's theme toggle, so a dialog's screenshots forget the stored theme and switch the
 * system's colour scheme instead; the page background proves each switch happened.
 */
export async function shootDialog(page: Page, name: string): Promise<void> {
  const backgrounds = { light: "rgb(245, 246, 248)", dark: "rgb(15, 18, 22)" };
  await page.evaluate(() => {
    localStorage.removeItem("switchboard.theme");
    delete document.documentElement.dataset.theme;
  });
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .toBe(backgrounds[theme]);
    await page.screenshot({ path: `${screenshotDir}${name}-${theme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Goes to a console or portal page by its address, as following a link would. */
export async function visit(page: Page, j: Journey, path: string): Promise<void> {
  await page.goto(`${j.url}${path}`);
  await waitForPath(page, path);
}
