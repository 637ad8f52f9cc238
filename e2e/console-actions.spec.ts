import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import {
  connectionCount,
  expectInThread,
  openFromInbox,
  signedInPage,
  statusOf,
  threadText,
} from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

const poll = { timeout: 15_000 };

describe.skipIf(skipBrowserJourneys)("staff work a chat: search, transfer, escalate, statuses", () => {
  let j: Journey;
  let lead: Page;
  let sarah: Page;
  let number: number;
  let sarahId: string;
  let supervisorId: string;

  beforeAll(async () => {
    j = await startJourney();
    const admin = await j.login("admin@acme.test");
    await j.api("PATCH", "/settings", { token: admin, body: { autoAssignment: false } });
    // Transfer targets are colleagues online with room.
    const sarahToken = await j.login("sarah@acme.test");
    await j.api("PATCH", "/me/availability", { token: sarahToken, body: { status: "online" } });
    sarahId = (await j.api("GET", "/me", { token: sarahToken })).body.user.id;
    const supervisorToken = await j.login("supervisor@acme.test");
    supervisorId = (await j.api("GET", "/me", { token: supervisorToken })).body.user.id;
    const john = await j.login("john@acme.test");
    const jane = await j.login("jane@acme.test");
    const first = await j.api("POST", "/conversations", {
      token: john,
      body: { subject: "Refund for a double charge", message: "I was charged twice for one order." },
    });
    number = first.body.number;
    await j.api("POST", "/conversations", {
      token: jane,
      body: { subject: "Change my address", message: "I moved house last week." },
    });
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("the team lead finds the chat by searching, picks it up and transfers it with a note", async () => {
    lead = await signedInPage(j, "lead@acme.test", "/console");
    await lead.getByTestId("inbox-tab-unassigned").click();
    await lead.getByTestId(`inbox-row-${number}`).waitFor(poll);
    await lead.getByTestId("inbox-search").fill("refund");
    await expect.poll(() => lead.getByTestId("inbox-list").locator("a").count(), poll).toBe(1);
    await openFromInbox(lead, "unassigned", "Refund for a double charge");
    await lead.getByTestId("action-pickup").first().click();
    await expect.poll(() => statusOf(lead, "conversation-status"), poll).toBe("open");

    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    await lead.getByTestId("action-transfer").click();
    await lead.getByTestId("transfer-target").selectOption(sarahId);
    await lead.getByTestId("transfer-note").fill("Double charge confirmed, refund approved");
    await lead.getByTestId("transfer-submit").click();
    await expectInThread(lead, "The chat was transferred to Sarah Johnson.");

    // Sarah's Mine tab gets it live, with the note as an internal note.
    await sarah.getByTestId(`inbox-row-${number}`).waitFor(poll);
    await openFromInbox(sarah, "mine", "Refund for a double charge");
    await expectInThread(sarah, "Double charge confirmed, refund approved");
    expect(await sarah.locator('[data-internal="true"]', { hasText: "refund approved" }).count()).toBe(1);
  });

  it("escalation reaches the supervisor; pending, resolve, reopen and close follow the rules", async () => {
    const supervisor = await signedInPage(j, "supervisor@acme.test", "/console");
    // The alert is live: it reaches the supervisor's page once the page holds a connection.
    await expect.poll(() => connectionCount(j, supervisorId), poll).toBeGreaterThan(0);
    await sarah.getByTestId("action-escalate").click();
    await sarah.getByTestId("escalate-reason").fill("Customer asks for compensation");
    await sarah.getByTestId("escalate-submit").click();
    await expect.poll(() => statusOf(sarah, "conversation-status"), poll).toBe("escalated");
    await expect
      .poll(
        () =>
          supervisor
            .getByTestId("toast-info")
            .first()
            .textContent({ timeout: 1_000 })
            .catch(() => ""),
        poll,
      )
      .toContain(`Conversation #${number} escalated`);

    await sarah.getByTestId("action-pending").click();
    await expect.poll(() => statusOf(sarah, "conversation-status"), poll).toBe("pending");
    await sarah.getByTestId("action-resolve").click();
    await expect.poll(() => statusOf(sarah, "conversation-status"), poll).toBe("resolved");
    expect(await sarah.getByTestId("action-resolve").count()).toBe(0);
    await sarah.getByTestId("action-reopen").click();
    await expect.poll(() => statusOf(sarah, "conversation-status"), poll).toBe("open");
    await sarah.getByTestId("action-close").click();
    await expect.poll(() => statusOf(sarah, "conversation-status"), poll).toBe("closed");
    expect(await threadText(sarah)).toContain("closed the conversation");

    // The customer's side followed along, and now offers the rating.
    const john = await signedInPage(j, "john@acme.test", "/portal");
    await john.getByTestId(`my-chat-${number}`).click();
    await expect.poll(() => statusOf(john, "chat-status"), poll).toBe("closed");
    await john.getByTestId("rating-form").waitFor();
    await john.getByTestId("composer-readonly").waitFor();
    expect(j.pageErrors).toEqual([]);
  });
});
