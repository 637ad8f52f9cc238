import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, send, signedInPage, threadText, waitForThread } from "./support/chat";
import { type Journey, setupTimeout, startJourney, waitForPath } from "./support/journey";
import { shootThemes } from "./support/screens";
import {
  arrangeStaffTickets,
  badge,
  expectRows,
  filterBy as filter,
  type Opened,
  poll,
  searchFor as search,
  shootDialog,
  visit,
} from "./support/tickets";

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
    ({ card, login, statement, resolved, closed } = await arrangeStaffTickets(j));
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("an agent sees every customer's tickets and filters them by category, priority, status and tab", async () => {
    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    await sarah.getByTestId("nav-tickets").click();
    await waitForPath(sarah, "/console/tickets");
    await expectRows(sarah, [card, login, statement]);
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
      /^reply in \d+ (min|h|d)$/,
    );
    await shootThemes(sarah, "console-tickets");

    await filter(sarah, "category", "technical");
    await expectRows(sarah, [login]);
    await filter(sarah, "category", "");
    await filter(sarah, "priority", "low");
    await expectRows(sarah, [statement]);
    await filter(sarah, "priority", "");
    await filter(sarah, "status", "escalated");
    await expectRows(sarah, [statement]);
    await filter(sarah, "status", "");
    await sarah.getByTestId("tickets-tab-resolved").click();
    await expectRows(sarah, [resolved]);
    await sarah.getByTestId("tickets-tab-closed").click();
    await expectRows(sarah, [closed]);
    await sarah.getByTestId("tickets-tab-all").click();
    await expectRows(sarah, [card, login, statement, resolved, closed]);
    await sarah.getByTestId("tickets-tab-active").click();
    await expectRows(sarah, [card, login, statement]);
  });

  it("search finds a ticket by number, by subject and by the customer's email", async () => {
    await search(sarah, card.reference);
    await expectRows(sarah, [card]);
    await search(sarah, "update");
    await expectRows(sarah, [login]);
    await search(sarah, "bob@acme.test");
    await expectRows(sarah, [statement]);
    await search(sarah, "");
    await expectRows(sarah, [card, login, statement]);
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
    await expectRows(sarah, [card, login, statement]);
    const lead = await j.login("lead@acme.test");
    const res = await j.api("PATCH", `/tickets/${login.id}`, {
      token: lead,
      body: { status: "waiting_on_admin" },
    });
    expect(res.status).toBe(200);
    await expect.poll(() => badge(sarah, `ticket-status-${login.reference}`), poll).toBe("waiting_on_admin");
    // John's ticket waits on him, so its clock stands still.
    expect(await sarah.getByTestId(`ticket-sla-${card.reference}`).textContent()).toBe("Paused");
    await filter(sarah, "assignee", "me");
    await expectRows(sarah, [card]);
    await filter(sarah, "assignee", "none");
    await expectRows(sarah, [login, statement]);
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
    expect(j.pageErrors).toEqual([]);
  });
});
