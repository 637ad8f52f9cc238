import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, signedInPage, threadText, waitForThread } from "./support/chat";
import { fetchStatus, type Journey, setupTimeout, startJourney, waitForPath } from "./support/journey";
import { shootThemes } from "./support/screens";
import {
  badge,
  type Opened,
  openTicket,
  poll,
  searchFor as search,
  shootDialog,
  visit,
} from "./support/tickets";

const subject = "Standing order missing";
const description = "My monthly standing order to the landlord did not go out on the 1st.";

async function fieldError(page: Page, field: string): Promise<string> {
  return (
    (await page
      .getByTestId(`new-ticket-${field}-error`)
      .textContent({ timeout: 2_000 })
      .catch(() => "")) ?? ""
  );
}

/** The references in the list as shown, top to bottom. */
async function listed(page: Page): Promise<string[]> {
  await page.getByTestId("tickets-list").waitFor(poll);
  return page.getByTestId("ticket-row-reference").allTextContents();
}

async function showTab(page: Page, tab: "active" | "done") {
  await page.getByTestId(`tickets-tab-${tab}`).click();
  await page.waitForURL((url) => (url.searchParams.get("state") ?? "active") === tab, poll);
}

describe.skipIf(skipBrowserJourneys)(
  "a customer opens a ticket, follows it, closes and rates it, and sees only their own",
  () => {
    let j: Journey;
    let john: Page;
    let reference = "";
    let ticketPath = "";
    let janes: Opened;

    beforeAll(async () => {
      j = await startJourney();
      // Another ticket of John's, so the list and the searches have something to leave out, and one of Jane's that
      // John must never reach.
      await openTicket(j, "john@acme.test", {
        subject: "Card limit increase",
        description: "Please raise my card limit to 5000.",
        category: "account",
      });
      janes = await openTicket(j, "jane@acme.test", {
        subject: "Cannot sign in after the update",
        description: "The app says my password is wrong since the last update.",
        category: "technical",
      });
    }, setupTimeout);
    afterAll(async () => {
      await j?.close();
    });

    it("the new-ticket form checks its fields as the server does, and shows what the server refuses", async () => {
      john = await signedInPage(j, "john@acme.test", "/portal");
      await john.getByTestId("nav-portal-tickets").click();
      await john.waitForURL((url) => url.pathname === "/portal/tickets", poll);
      await john.getByTestId("new-ticket-open").click();
      await john.getByTestId("new-ticket-submit").click();
      expect(await fieldError(john, "subject")).toBe("Subject must be at least 3 characters");
      expect(await fieldError(john, "category")).toBe("Category is required");
      expect(await fieldError(john, "description")).toBe("Description must be at least 10 characters");

      await john.getByTestId("new-ticket-subject").fill("ab");
      await john.getByTestId("new-ticket-category").selectOption("billing");
      await john.getByTestId("new-ticket-description").fill("too short");
      expect(await fieldError(john, "subject")).toContain("at least 3");
      expect(await fieldError(john, "category")).toBe("");
      expect(await fieldError(john, "description")).toContain("at least 10");

      await john.getByTestId("new-ticket-subject").fill(subject);
      await john.getByTestId("new-ticket-priority").selectOption("high");
      await john.getByTestId("new-ticket-description").fill(description);
      expect(await fieldError(john, "subject")).toBe("");
      await shootDialog(john, "portal-new-ticket");

      // The server has the last word: a subject it refuses (sent in place of the typed one) is shown on its field.
      await john.route("**/api/v1/tickets", (route) =>
        route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), subject: "x" }) }),
      );
      await john.getByTestId("new-ticket-submit").click();
      await expect
        .poll(() => fieldError(john, "subject"), poll)
        .toBe("Subject must be at least 3 characters");
      await john.unroute("**/api/v1/tickets");
      expect(new URL(john.url()).pathname).toBe("/portal/tickets");
    });

    it("submitted, the ticket opens with its TKT number, badges and the description as its first message", async () => {
      await john.getByTestId("new-ticket-submit").click();
      await john.waitForURL((url) => /^\/portal\/tickets\/[0-9a-f-]{36}$/.test(url.pathname), poll);
      ticketPath = new URL(john.url()).pathname;
      reference = (await john.getByTestId("ticket-reference").textContent()) ?? "";
      expect(reference).toMatch(/^TKT-\d{6}$/);
      expect(await john.getByTestId("ticket-title").textContent()).toContain(subject);
      expect(await badge(john, "ticket-status", "data-status")).toBe("open");
      expect(await badge(john, "ticket-priority", "data-priority")).toBe("high");
      expect(await john.getByTestId("ticket-category").textContent()).toBe("Billing");
      expect(await john.getByTestId("ticket-assignee").textContent()).toBe("Not assigned yet");
      await waitForThread(john);
      await expectInThread(john, description);
      await expect.poll(() => john.getByTestId("timeline-created").count(), poll).toBe(1);
    });

    it("in the thread, Enter sends and Shift+Enter starts a new line", async () => {
      const input = john.getByTestId("composer-input");
      await input.click();
      await input.pressSequentially("It was due on the 1st.", { delay: 5 });
      await input.press("Shift+Enter");
      await input.pressSequentially("Reference SO-1182.", { delay: 5 });
      await input.press("Enter");
      // Stored and sent back (not only shown as pending), as one message of two lines.
      const sent = john.getByTestId("message-body").filter({ hasText: "Reference SO-1182." });
      await sent.waitFor(poll);
      expect(await sent.textContent()).toBe("It was due on the 1st.\nReference SO-1182.");
      expect(await input.inputValue()).toBe("");
      await shootThemes(john, "portal-ticket");
    });

    it("the Active tab lists it by number; search finds it by number and by subject", async () => {
      await john.getByTestId("ticket-back").click();
      await john.waitForURL((url) => url.pathname === "/portal/tickets", poll);
      await expect.poll(() => listed(john), poll).toContain(reference);
      expect(await listed(john)).toHaveLength(2);
      expect(await badge(john, `ticket-row-${reference}-status`, "data-status")).toBe("open");
      await shootThemes(john, "portal-tickets");

      await search(john, reference);
      await expect.poll(() => listed(john), poll).toEqual([reference]);
      await search(john, reference.replace(/^TKT-0+/, ""));
      await expect.poll(() => listed(john), poll).toEqual([reference]);
      await search(john, "standing");
      await expect.poll(() => listed(john), poll).toEqual([reference]);
      await search(john, "nothing like this");
      await john.getByTestId("tickets-empty").waitFor(poll);
      await search(john, "");
      await expect.poll(async () => (await listed(john)).length, poll).toBe(2);
    });

    it("closed, it stops taking replies, leaves Active for Closed, and shows in the trail", async () => {
      await john.getByTestId(`ticket-row-${reference}`).click();
      await john.waitForURL((url) => url.pathname === ticketPath, poll);
      await waitForThread(john);
      await john.getByTestId("ticket-close").click();
      await expect.poll(() => badge(john, "ticket-status", "data-status"), poll).toBe("closed");
      await john.getByTestId("ticket-closed-note").waitFor(poll);
      expect(await john.getByTestId("composer-input").count()).toBe(0);
      await john.getByTestId("timeline-closed").waitFor(poll);
      expect(await john.getByTestId("ticket-close").count()).toBe(0);

      await john.getByTestId("ticket-back").click();
      await expect.poll(() => listed(john), poll).not.toContain(reference);
      await showTab(john, "done");
      await expect.poll(() => listed(john), poll).toEqual([reference]);
      expect(await badge(john, `ticket-row-${reference}-status`, "data-status")).toBe("closed");
    });

    it("the closed ticket is rated once: 1 to 5 stars and a comment", async () => {
      await john.getByTestId(`ticket-row-${reference}`).click();
      await john.waitForURL((url) => url.pathname === ticketPath, poll);
      await john.getByTestId("rating-form").waitFor(poll);
      await john.getByTestId("rating-star-4").click();
      await john.getByTestId("rating-comment").fill("Sorted quickly, thank you.");
      await shootThemes(john, "portal-ticket-rating");
      await john.getByTestId("rating-submit").click();
      await john.getByTestId("rating-done").waitFor(poll);
      await john.getByTestId("timeline-rated").waitFor(poll);
      // Once: after a reload the form is not offered again.
      await john.reload();
      await john.getByTestId("rating-done").waitFor(poll);
      expect(await john.getByTestId("rating-form").count()).toBe(0);
    });

    it("reopened, it takes replies again and is back in Active", async () => {
      await john.getByTestId("ticket-reopen").click();
      await expect.poll(() => badge(john, "ticket-status", "data-status"), poll).toBe("open");
      await john.getByTestId("timeline-reopened").waitFor(poll);
      await john.getByTestId("composer-input").fill("Thanks, one more question.");
      await john.getByTestId("composer-send").click();
      await expectInThread(john, "one more question");
      expect(await threadText(john)).toContain(description);
      await john.getByTestId("ticket-back").click();
      await showTab(john, "active");
      await expect.poll(() => listed(john), poll).toContain(reference);
    });

    it("is sent away from the console, and another customer's ticket is not found", async () => {
      for (const path of ["/console/tickets", `/console/tickets/${janes.id}`]) {
        await john.goto(`${j.url}${path}`);
        await waitForPath(john, "/portal");
      }
      await visit(john, j, `/portal/tickets/${janes.id}`);
      await john.getByTestId("ticket-not-found").waitFor(poll);
      expect(await john.locator("body").textContent()).not.toContain("Cannot sign in after the update");
      expect(await fetchStatus(john, `/api/v1/tickets/${janes.id}`)).toBe(404);
      expect(await fetchStatus(john, `/api/v1/tickets/${janes.id}/activity`)).toBe(404);
      await visit(john, j, "/portal/tickets");
      await expect.poll(async () => (await listed(john)).length, poll).toBe(2);
      expect(await listed(john)).not.toContain(janes.reference);
      expect(j.pageErrors).toEqual([]);
    });
  },
);
