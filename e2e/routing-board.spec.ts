import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, signedInPage, threadText, waitForThread } from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";
import { screenshotDir, shootThemes } from "./support/screens";

const poll = { timeout: 15_000 };

async function text(page: Page, testId: string): Promise<string> {
  return (
    (await page
      .getByTestId(testId)
      .first()
      .textContent({ timeout: 2_000 })
      .catch(() => "")) ?? ""
  );
}

/** "HH:MM" as the page writes a time of today (formatTime in src/web/lib/labels.ts). */
async function localTime(page: Page, iso: string): Promise<string> {
  return page.evaluate(
    (at) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
    iso,
  );
}

describe.skipIf(skipBrowserJourneys)("automatic assignment and the team lead's board", () => {
  let j: Journey;
  let sarah: Page;
  let lead: Page;
  let john: string;
  let jane: string;
  let mike: string;
  let leadToken: string;
  let ids: Record<string, string>;
  let firstChat: { id: string; number: number };
  let secondChat: { id: string; number: number };

  beforeAll(async () => {
    // Defaults: automatic assignment on, every staff member offline.
    j = await startJourney();
    john = await j.login("john@acme.test");
    jane = await j.login("jane@acme.test");
    mike = await j.login("mike@acme.test");
    leadToken = await j.login("lead@acme.test");
    ids = {};
    for (const email of ["sarah@acme.test", "mike@acme.test", "lead@acme.test"]) {
      const token = await j.login(email);
      ids[email] = (await j.api("GET", "/me", { token })).body.user.id;
    }
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("an agent who goes online is given a new chat at once, and it appears in her inbox", async () => {
    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    await sarah.getByTestId("inbox-empty").waitFor(poll);
    await sarah.getByTestId("availability-select").selectOption("online");
    await expect.poll(() => sarah.getByTestId("availability-select").inputValue(), poll).toBe("online");
    // The switch shows the choice at once; routing acts on what the server has stored.
    const sarahNow = async () =>
      (
        (await j.api("GET", "/staff", { token: leadToken })).body.items as Array<{
          id: string;
          availability: string;
        }>
      ).find((s) => s.id === ids["sarah@acme.test"])?.availability;
    await expect.poll(sarahNow, poll).toBe("online");

    const created = await j.api("POST", "/conversations", {
      token: john,
      body: { subject: "Card payment declined", message: "My card was declined at the till." },
    });
    expect(created.status).toBe(201);
    firstChat = created.body;
    expect(created.body.assignee?.name).toBe("Sarah Johnson");
    await sarah.getByTestId(`inbox-row-${firstChat.number}`).waitFor(poll);
    expect(await text(sarah, `inbox-row-${firstChat.number}-status`)).toContain("Open");
  });

  it("the team lead's board shows her load, the chat and how long it has run", async () => {
    // Mike comes online too, with room for the chat the lead will give him.
    expect(
      (await j.api("PATCH", "/me/availability", { token: mike, body: { status: "online" } })).status,
    ).toBe(200);
    lead = await signedInPage(j, "lead@acme.test", "/console");
    await lead.getByTestId("nav-team-board").click();
    await lead.waitForURL((url) => url.pathname === "/console/team", poll);
    await expect.poll(() => text(lead, "board-load-sarah@acme.test"), poll).toBe("1 of 5");
    await expect.poll(() => text(lead, "board-status-mike@acme.test"), poll).toContain("Online");
    const row = lead.getByTestId("staff-board-row-sarah@acme.test");
    await row.getByTestId(`board-chat-${firstChat.number}`).waitFor(poll);
    expect(await text(lead, `board-chat-${firstChat.number}`)).toContain("John Doe");
    const clock = lead.getByTestId(`board-chat-time-${firstChat.number}`);
    const before = await clock.textContent();
    expect(before).toMatch(/^\d+:\d\d$/);
    await expect.poll(() => clock.textContent(), poll).not.toBe(before);
    expect(await text(lead, "board-summary-online")).toBe("2");
  });

  it("the lead reassigns the chat to a colleague with room, from the board", async () => {
    await lead.getByTestId(`board-reassign-${firstChat.number}`).click();
    const dialog = lead.getByTestId("transfer-dialog");
    await dialog.getByTestId("transfer-target").waitFor();
    // Everyone is listed with availability and load; only those online with room can be chosen.
    const options = dialog.getByTestId("transfer-target").locator("option");
    await expect.poll(() => options.count(), poll).toBeGreaterThan(2);
    const mikeOption = dialog.locator(`option[value="${ids["mike@acme.test"]}"]`);
    expect(await mikeOption.textContent()).toBe("Mike Chen · Online · 0 of 5 chats");
    expect(await mikeOption.isDisabled()).toBe(false);
    const leadOption = dialog.locator(`option[value="${ids["lead@acme.test"]}"]`);
    expect(await leadOption.textContent()).toContain("(offline)");
    expect(await leadOption.isDisabled()).toBe(true);
    // Sarah holds it, so she is no target.
    expect(await dialog.locator(`option[value="${ids["sarah@acme.test"]}"]`).count()).toBe(0);

    await dialog.getByTestId("transfer-target").selectOption(ids["mike@acme.test"]!);
    await dialog.getByTestId("transfer-note").fill("He asked for a card specialist");
    await lead.screenshot({ path: `${screenshotDir}transfer-dialog-light.png` });
    await dialog.getByTestId("transfer-submit").click();
    await dialog.getByTestId("transfer-target").waitFor({ state: "detached", ...poll });

    const mikeRow = lead.getByTestId("staff-board-row-mike@acme.test");
    await mikeRow.getByTestId(`board-chat-${firstChat.number}`).waitFor(poll);
    await expect.poll(() => text(lead, "board-load-mike@acme.test"), poll).toBe("1 of 5");
    await expect.poll(() => text(lead, "board-load-sarah@acme.test"), poll).toBe("0 of 5");
    // Sarah's inbox lets go of it.
    await sarah.getByTestId(`inbox-row-${firstChat.number}`).waitFor({ state: "detached", ...poll });
  });

  it("the lead puts Sarah on a 15-minute break: the board and her own header show when it ends", async () => {
    await lead.getByTestId("board-break-sarah@acme.test").selectOption("15");
    await expect.poll(() => text(lead, "board-status-sarah@acme.test"), poll).toContain("On break");
    const staff = await j.api("GET", "/staff?limit=200", { token: await j.login("lead@acme.test") });
    const until = (staff.body.items as Array<{ email: string; availabilityUntil: string | null }>).find(
      (s) => s.email === "sarah@acme.test",
    )?.availabilityUntil;
    expect(until).toBeTruthy();
    const minutes = (Date.parse(until!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    const hhmm = await localTime(lead, until!);
    expect(await text(lead, "board-status-sarah@acme.test")).toContain(`until ${hhmm}`);
    await lead.getByTestId("board-end-break-sarah@acme.test").waitFor();

    // Sarah's own availability switch follows, with the end of the break.
    await expect.poll(() => sarah.getByTestId("availability-select").inputValue(), poll).toBe("on_break");
    await expect.poll(() => text(sarah, "availability-break-current"), poll).toBe(`On break until ${hhmm}`);
  });

  it("a chat goes to a team's queue with a note only staff can read", async () => {
    const created = await j.api("POST", "/conversations", {
      token: jane,
      body: { subject: "Mortgage question", message: "Can I overpay my mortgage this year?" },
    });
    expect(created.status).toBe(201);
    secondChat = created.body;
    // Sarah is on a break, so routing gives it to Mike.
    expect(created.body.assignee?.name).toBe("Mike Chen");
    await lead.getByTestId(`board-reassign-${secondChat.number}`).click();
    const dialog = lead.getByTestId("transfer-dialog");
    await dialog.getByTestId("transfer-mode-team").check();
    const team = dialog.getByTestId("transfer-team");
    await expect.poll(() => team.locator("option").count(), poll).toBe(2);
    expect(await team.locator("option").nth(1).textContent()).toContain("Front Desk");
    await team.selectOption({ index: 1 });
    await dialog.getByTestId("transfer-note").fill("Overpayment rules changed in May; check the new limits");
    await dialog.getByTestId("transfer-submit").click();
    await team.waitFor({ state: "detached", ...poll });

    // The customer is told neutrally where the chat went, and never sees the note.
    const customer = await signedInPage(j, "jane@acme.test", "/portal");
    await customer.goto(`${j.url}/portal/chats/${secondChat.id}`);
    await waitForThread(customer);
    await expectInThread(customer, "The chat was transferred to the Front Desk team.");
    expect(await threadText(customer)).not.toContain("Overpayment rules");
    const messages = await j.api("GET", `/conversations/${secondChat.id}/messages?limit=200`, {
      token: jane,
    });
    expect(JSON.stringify(messages.body)).not.toContain("Overpayment rules");

    // Staff read it as an internal note in the thread.
    await lead.goto(`${j.url}/console/conversations/${secondChat.id}`);
    await waitForThread(lead);
    await expectInThread(lead, "Overpayment rules changed in May");
    expect(
      await lead.locator('[data-internal="true"]', { hasText: "Overpayment rules changed" }).count(),
    ).toBe(1);
  });

  it("the lead ends the break and Sarah is online again", async () => {
    await lead.getByTestId("nav-team-board").click();
    await expect.poll(() => text(lead, "board-load-mike@acme.test"), poll).toBe("2 of 5");
    // Toasts fade on their own; the screenshot should show the board, not the last confirmation.
    for (const dismiss of await lead.getByRole("button", { name: "Dismiss" }).all()) await dismiss.click();
    await shootThemes(lead, "team-board");
    await lead.getByTestId("board-end-break-sarah@acme.test").click();
    await expect.poll(() => text(lead, "board-status-sarah@acme.test"), poll).toContain("Online");
    await expect.poll(() => sarah.getByTestId("availability-select").inputValue(), poll).toBe("online");
    expect(j.pageErrors).toEqual([]);
  });
});
