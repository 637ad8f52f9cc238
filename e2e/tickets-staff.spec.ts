import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepTicketBreaches } from "../src/server/modules/tickets/ticket-breaches";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, send, signedInPage, threadText, waitForThread } from "./support/chat";
import { fetchStatus, type Journey, setupTimeout, startJourney, waitForPath } from "./support/journey";
import { shootThemes } from "./support/screens";
import { badge, openTicket, poll, shootDialog, visit } from "./support/tickets";

type Opened = Awaited<ReturnType<typeof openTicket>>;

/** The references in the staff table, top to bottom. */
async function rows(page: Page): Promise<string[]> {
  await page.getByTestId("tickets-table").waitFor(poll);
  return page.locator('[data-testid="tickets-table"] tbody .tk-ref').allTextContents();
}

async function shows(page: Page, expected: string[]) {
  await expect.poll(async () => (await rows(page)).sort(), poll).toEqual([...expected].sort());
}

async function filter(page: Page, name: string, value: string) {
  await page.getByTestId(`filter-${name}`).selectOption(value);
}

async function search(page: Page, q: string) {
  await page.getByTestId("tickets-search").fill(q);
  await page.waitForURL((url) => (url.searchParams.get("q") ?? "") === q, poll);
}

const timeline = (page: Page) => page.getByTestId("ticket-timeline").textContent({ timeout: 5_000 });

describe.skipIf(skipBrowserJourneys)("staff work every customer's tickets, live with the customer", () => {
  let j: Journey;
  let card: Opened;
  let login: Opened;
  let statement: Opened;
  let resolved: Opened;
  let closed: Opened;
  let sarah: Page;
  let john: Page;

  beforeAll(async () => {
    j = await startJourney();
    card = await openTicket(j, "john@acme.test", {
      subject: "Card declined at checkout",
      description: "My card is declined at every online checkout since Monday.",
      category: "billing",
      priority: "high",
    });
    login = await openTicket(j, "jane@acme.test", {
      subject: "Cannot sign in after the update",
      description: "The app says my password is wrong since the last update.",
      category: "technical",
      priority: "urgent",
    });
    statement = await openTicket(j, "bob@acme.test", {
      subject: "Paper statement request",
      description: "Please send me paper statements for last year.",
      category: "account",
      priority: "low",
    });
    resolved = await openTicket(j, "bob@acme.test", {
      subject: "Wrong address on file",
      description: "My address still shows the old street name.",
      category: "account",
    });
    closed = await openTicket(j, "jane@acme.test", {
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
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("an agent sees every customer's tickets and filters them by category, priority, status and tab", async () => {
    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    await sarah.getByTestId("nav-tickets").click();
    await waitForPath(sarah, "/console/tickets");
    await shows(sarah, [card.reference, login.reference, statement.reference]);
    expect(await sarah.getByTestId(`ticket-customer-${login.reference}`).textContent()).toBe(
      "Jane Smith · jane@acme.test",
    );
    expect(await badge(sarah, `ticket-priority-${login.reference}`, "data-priority")).toBe("urgent");
    // The breach escalated Bob's ticket and is flagged; the others show when they are due.
    expect(await sarah.getByTestId(`ticket-sla-${statement.reference}`).getAttribute("data-sla")).toBe(
      "breached",
    );
    expect(await badge(sarah, `ticket-status-${statement.reference}`)).toBe("escalated");
    expect(await sarah.getByTestId(`ticket-sla-${card.reference}`).textContent()).toMatch(
      /^in \d+ (min|h|d)$/,
    );
    await shootThemes(sarah, "console-tickets");

    await filter(sarah, "category", "technical");
    await shows(sarah, [login.reference]);
    await filter(sarah, "category", "");
    await filter(sarah, "priority", "low");
    await shows(sarah, [statement.reference]);
    await filter(sarah, "priority", "");
    await filter(sarah, "status", "escalated");
    await shows(sarah, [statement.reference]);
    await filter(sarah, "status", "");
    await sarah.getByTestId("tickets-tab-resolved").click();
    await shows(sarah, [resolved.reference]);
    await sarah.getByTestId("tickets-tab-closed").click();
    await shows(sarah, [closed.reference]);
    await sarah.getByTestId("tickets-tab-all").click();
    await shows(sarah, [
      card.reference,
      login.reference,
      statement.reference,
      resolved.reference,
      closed.reference,
    ]);
    await sarah.getByTestId("tickets-tab-active").click();
    await shows(sarah, [card.reference, login.reference, statement.reference]);
  });

  it("search finds a ticket by number, by subject and by the customer's email", async () => {
    await search(sarah, card.reference);
    await shows(sarah, [card.reference]);
    await search(sarah, "update");
    await shows(sarah, [login.reference]);
    await search(sarah, "bob@acme.test");
    await shows(sarah, [statement.reference]);
    await search(sarah, "");
    await shows(sarah, [card.reference, login.reference, statement.reference]);
  });

  it("assign to me, then a status from the allowed ones, each logged in the trail with the address", async () => {
    await sarah.getByTestId(`ticket-link-${card.reference}`).click();
    await waitForPath(sarah, `/console/tickets/${card.id}`);
    await waitForThread(sarah);
    expect(await sarah.getByTestId("ticket-customer-email").textContent()).toBe("john@acme.test");
    await sarah.getByTestId("ticket-assign-me").click();
    await expect.poll(() => sarah.getByTestId("ticket-assignee").textContent(), poll).toBe("you");
    await expect
      .poll(() => timeline(sarah), poll)
      .toContain("Sarah Johnson assigned the ticket to Sarah Johnson");

    const offered = await sarah
      .getByTestId("ticket-status-select")
      .locator("option")
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(offered).toEqual([
      "open",
      "in_progress",
      "waiting_on_customer",
      "waiting_on_admin",
      "escalated",
      "resolved",
      "closed",
    ]);
    await sarah.getByTestId("ticket-status-select").selectOption("in_progress");
    await expect.poll(() => badge(sarah, "ticket-status"), poll).toBe("in_progress");
    await expect.poll(() => timeline(sarah), poll).toContain("changed the status from open to in progress");
    const entry = sarah.getByTestId("timeline-status_changed");
    expect(await entry.getByTestId("timeline-ip").textContent()).toContain("127.0.0.1");

    await sarah.getByTestId("ticket-priority-select").selectOption("urgent");
    await expect.poll(() => badge(sarah, "ticket-priority", "data-priority"), poll).toBe("urgent");
    await sarah.getByTestId("timeline-priority_changed").waitFor(poll);
  });

  it("customer and agent talk in the ticket both ways, and the agent's status change reaches the customer live", async () => {
    john = await signedInPage(j, "john@acme.test", "/portal");
    await visit(john, j, `/portal/tickets/${card.id}`);
    await waitForThread(john);
    expect(await badge(john, "ticket-status")).toBe("in_progress");
    expect(await john.getByTestId("ticket-assignee").textContent()).toBe("Sarah Johnson");

    await send(john, "It failed again just now.");
    await expectInThread(sarah, "It failed again just now.");
    await send(sarah, "Thanks John, I have reset the card's online block.");
    await expectInThread(john, "I have reset the card's online block.");

    await sarah.getByTestId("ticket-status-select").selectOption("waiting_on_customer");
    await expect.poll(() => badge(john, "ticket-status"), poll).toBe("waiting_on_customer");
    expect(await john.getByTestId("ticket-status").textContent()).toBe("Waiting on you");
    await expect.poll(() => john.getByTestId("timeline-status_changed").count(), poll).toBe(2);
  });

  it("an internal note is highlighted for staff, and the customer never sees it", async () => {
    await sarah.getByTestId("composer-internal").check();
    await sarah.getByTestId("composer-input").fill("Card team confirmed the block was theirs.");
    await sarah.getByTestId("composer-send").click();
    const note = sarah.locator('[data-internal="true"]', { hasText: "Card team confirmed" });
    await note.waitFor(poll);
    // The seed's yellow: the --note colour of src/web/chat/chat.css.
    expect(await note.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 244, 194)");
    await sarah.getByTestId("timeline-internal_note_added").waitFor(poll);
    // The composer's focus scrolled the page; the screenshot starts from the top, as a visitor would see it.
    await sarah.evaluate(() => window.scrollTo(0, 0));
    await shootThemes(sarah, "console-ticket");

    await sarah.getByTestId("composer-internal").uncheck();
    await send(sarah, "Could you try the payment once more?");
    // The public reply that came after the note has arrived, so the note would have too.
    await expectInThread(john, "Could you try the payment once more?");
    expect(await threadText(john)).not.toContain("Card team confirmed");
    expect(await john.getByTestId("timeline-internal_note_added").count()).toBe(0);
    await john.reload();
    await waitForThread(john);
    expect(await threadText(john)).not.toContain("Card team confirmed");
    expect(await timeline(john)).not.toContain("internal note");
  });

  it("the list follows changes made elsewhere without a reload", async () => {
    await sarah.getByTestId("nav-tickets").click();
    await waitForPath(sarah, "/console/tickets");
    await shows(sarah, [card.reference, login.reference, statement.reference]);
    const lead = await j.login("lead@acme.test");
    const res = await j.api("PATCH", `/tickets/${login.id}`, {
      token: lead,
      body: { status: "waiting_on_admin" },
    });
    expect(res.status).toBe(200);
    await expect.poll(() => badge(sarah, `ticket-status-${login.reference}`), poll).toBe("waiting_on_admin");
    await filter(sarah, "assignee", "me");
    await shows(sarah, [card.reference]);
    await filter(sarah, "assignee", "none");
    await shows(sarah, [login.reference, statement.reference]);
  });

  it("a support chat becomes a ticket from the console, and the chat then links to it", async () => {
    const token = await j.login("john@acme.test");
    const chat = await j.api("POST", "/conversations", {
      token,
      body: { subject: "Mortgage documents", message: "Which documents do you need for the mortgage?" },
    });
    expect(chat.status).toBe(201);
    await visit(sarah, j, `/console/conversations/${chat.body.id}`);
    await waitForThread(sarah);
    await sarah.getByTestId("action-pickup").first().click();
    await expect
      .poll(() => sarah.getByTestId("conversation-assignee").textContent(), poll)
      .toBe("Sarah Johnson");
    await sarah.getByTestId("action-convert-ticket").click();
    expect(await sarah.getByTestId("convert-ticket-subject").inputValue()).toBe("Mortgage documents");
    await sarah.getByTestId("convert-ticket-category").selectOption("account");
    await sarah.getByTestId("convert-ticket-description").fill("Customer needs the mortgage document list.");
    await shootDialog(sarah, "console-convert-ticket");
    await sarah.getByTestId("convert-ticket-submit").click();
    await sarah.waitForURL((url) => url.pathname.startsWith("/console/tickets/"), poll);
    const reference = (await sarah.getByTestId("ticket-reference").textContent()) ?? "";
    expect(reference).toMatch(/^TKT-\d{6}$/);
    await waitForThread(sarah);
    await expectInThread(sarah, "Which documents do you need for the mortgage?");
    expect(await sarah.getByTestId("ticket-assignee").textContent()).toBe("you");
    expect(await sarah.getByTestId("ticket-details").textContent()).toContain("Converted from a chat");

    await visit(sarah, j, `/console/conversations/${chat.body.id}`);
    await expect
      .poll(() => sarah.getByTestId("chat-ticket-link").textContent(), poll)
      .toBe(`Ticket ${reference}`);
    expect(await sarah.getByTestId("action-convert-ticket").count()).toBe(0);
  });

  it("a customer is sent away from the console and cannot open another customer's ticket", async () => {
    await visit(john, j, "/portal");
    await john.goto(`${j.url}/console/tickets`);
    await waitForPath(john, "/portal");
    await john.goto(`${j.url}/console/tickets/${login.id}`);
    await waitForPath(john, "/portal");

    await visit(john, j, `/portal/tickets/${login.id}`);
    await john.getByTestId("ticket-not-found").waitFor(poll);
    expect(await john.locator("body").textContent()).not.toContain("Cannot sign in after the update");
    expect(await fetchStatus(john, `/api/v1/tickets/${login.id}`)).toBe(404);
    expect(await fetchStatus(john, `/api/v1/tickets/${login.id}/activity`)).toBe(404);
    // His own list holds his own tickets (the one he wrote and the chat made a ticket), nobody else's.
    await visit(john, j, "/portal/tickets");
    await expect.poll(() => john.getByTestId("ticket-row-reference").count(), poll).toBe(2);
    const mine = await john.getByTestId("ticket-row-reference").allTextContents();
    expect(mine).toContain(card.reference);
    for (const other of [login, statement, resolved, closed]) expect(mine).not.toContain(other.reference);
    expect(j.pageErrors).toEqual([]);
  });
});
