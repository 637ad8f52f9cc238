import type { Server } from "node:http";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, signedInPage, startChat, statusOf, threadText, waitForThread } from "./support/chat";
import { hostSite } from "./support/host-site";
import { type Journey, setupTimeout, signIn, startJourney, waitForPath } from "./support/journey";
import { screenshotDir, shootThemes } from "./support/screens";

const poll = { timeout: 15_000 };

/** The waiting notice's sentence, or "" once it is gone. */
async function waitingText(surface: Page | FrameLocator): Promise<string> {
  return (
    (await surface
      .getByTestId("queue-position")
      .textContent({ timeout: 2_000 })
      .catch(() => "")) ?? ""
  );
}

async function waitingSeconds(page: Page, number: number): Promise<number> {
  return Number(await page.getByTestId(`queue-waiting-${number}`).getAttribute("data-seconds"));
}

async function numberOf(j: Journey, token: string, id: string): Promise<number> {
  const res = await j.api("GET", `/conversations/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body.number as number;
}

describe.skipIf(skipBrowserJourneys)("customers wait in line and an agent takes them in order", () => {
  let j: Journey;
  let host: { url: string; server: Server };
  let john: Page;
  let jane: Page;
  let visitorPage: Page;
  let visitor: FrameLocator;
  let sarah: Page;
  let first: number;
  let second: number;
  let third: number;
  let secondId: string;

  beforeAll(async () => {
    // Nothing is changed: the staff start offline and automatic assignment stays on, so nobody can take a chat.
    j = await startJourney();
    host = await hostSite(j.url);
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
    await new Promise((resolve) => host?.server.close(resolve));
  });

  it("with nobody online, a customer gets an automatic reply and is number 1 in line", async () => {
    john = await signedInPage(j, "john@acme.test", "/portal");
    const id = await startChat(john, "Card payment declined", "Hello, my card payment was declined.");
    first = await numberOf(j, await j.login("john@acme.test"), id);
    await expect.poll(() => statusOf(john, "chat-status"), poll).toBe("queued");
    const bot = john.locator('[data-sender-type="bot"]');
    await bot.first().waitFor(poll);
    expect(await bot.getByTestId("message-sender").textContent()).toBe("Automatic reply");
    expect(await bot.getByTestId("message-body").textContent()).toContain("Thanks for your message");
    await expect.poll(() => waitingText(john), poll).toContain("You are number 1 in line");
    // Nobody who could answer is online, so no time is promised.
    expect(await waitingText(john)).toContain("we will answer as soon as someone is available");
  });

  it("a second customer is number 2, and a visitor on the website number 3", async () => {
    jane = await signedInPage(j, "jane@acme.test", "/portal");
    secondId = await startChat(jane, "Change my address", "I moved house last week.");
    second = await numberOf(j, await j.login("jane@acme.test"), secondId);
    await expect.poll(() => waitingText(jane), poll).toContain("You are number 2 in line");
    await shootThemes(jane, "portal-waiting");

    visitorPage = await j.newPage();
    await visitorPage.goto(host.url);
    await visitorPage.getByTestId("switchboard-widget-bubble").click();
    visitor = visitorPage.frameLocator('[data-testid="switchboard-widget-frame"]');
    await visitor.getByTestId("widget-name").fill("Vera Visitor");
    await visitor.getByTestId("widget-email").fill("vera@example.test");
    await visitor.getByTestId("widget-start").click();
    await visitor.getByTestId("widget-first-input").fill("Do you offer business accounts?");
    await visitor.getByTestId("widget-first-send").click();
    await waitForThread(visitor);
    await visitor.locator('[data-sender-type="bot"]').first().waitFor(poll);
    await expect.poll(() => waitingText(visitor), poll).toContain("You are number 3 in line");
    for (const theme of ["light", "dark"] as const) {
      await visitorPage.emulateMedia({ colorScheme: theme });
      await visitorPage.screenshot({ path: `${screenshotDir}widget-waiting-${theme}.png` });
    }
  });

  it("the agent sees all three in order, with waiting times counting up live", async () => {
    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    await sarah.getByTestId("nav-queue").click();
    await sarah.waitForURL((url) => url.pathname === "/console/queue", poll);
    const rows = sarah.getByTestId("queue-table").locator("tbody tr");
    await expect.poll(() => rows.count(), poll).toBe(3);
    const visitorRow = rows.nth(2);
    third = Number((await visitorRow.getAttribute("data-testid"))?.replace("queue-row-", ""));
    expect(await rows.nth(0).getAttribute("data-testid")).toBe(`queue-row-${first}`);
    expect(await rows.nth(1).getAttribute("data-testid")).toBe(`queue-row-${second}`);
    expect(await sarah.getByTestId(`queue-customer-${first}`).textContent()).toContain("John Doe");
    expect(await sarah.getByTestId(`queue-customer-${third}`).textContent()).toContain("Vera Visitor");
    expect(await sarah.getByTestId(`queue-position-${second}`).textContent()).toBe("2");
    expect(await sarah.getByTestId("queue-total").textContent()).toBe("3 waiting");

    // The clock runs without anything new from the server.
    const before = await waitingSeconds(sarah, first);
    await expect.poll(() => waitingSeconds(sarah, first), poll).toBeGreaterThanOrEqual(before + 2);
    expect(await sarah.getByTestId(`queue-waiting-${first}`).textContent()).toMatch(/^\d+:\d\d$/);
  });

  it("picking up the first: its customer sees the agent join, the others move up live", async () => {
    await sarah.getByTestId(`queue-pickup-${first}`).click();
    await sarah.waitForURL((url) => url.pathname.startsWith("/console/conversations/"), poll);
    await waitForThread(sarah);
    await expect.poll(() => statusOf(sarah, "conversation-status"), poll).toBe("open");

    await expectInThread(john, "Sarah Johnson joined the chat.");
    await john.getByTestId("queued-notice").waitFor({ state: "detached", ...poll });
    expect(await john.getByTestId("chat-agent").textContent()).toBe("Sarah Johnson");

    await expect.poll(() => waitingText(jane), poll).toContain("You are number 1 in line");
    await expect.poll(() => waitingText(visitor), poll).toContain("You are number 2 in line");
  });

  it("a chat someone else took first is refused with a clear message, and the queue catches up", async () => {
    await sarah.getByTestId("nav-queue").click();
    await sarah.getByTestId(`queue-row-${second}`).waitFor(poll);
    // Mike takes Jane's chat in the instant between Sarah's click and her request reaching the server.
    const mike = await j.login("mike@acme.test");
    const mikeId = (await j.api("GET", "/me", { token: mike })).body.user.id as string;
    await sarah.route("**/api/v1/conversations/*/assign", async (route) => {
      const taken = await j.api("POST", `/conversations/${secondId}/assign`, {
        token: mike,
        body: { assigneeId: mikeId },
      });
      expect(taken.status).toBe(200);
      await route.continue();
    });
    await sarah.getByTestId(`queue-pickup-${second}`).click();
    await expect
      .poll(
        () =>
          sarah
            .getByTestId("toast-error")
            .first()
            .textContent()
            .catch(() => ""),
        poll,
      )
      .toContain("Someone else has already taken this chat.");
    await sarah.unroute("**/api/v1/conversations/*/assign");
    // Still on the queue, which now holds only the visitor, first in line.
    expect(new URL(sarah.url()).pathname).toBe("/console/queue");
    await sarah.getByTestId(`queue-row-${second}`).waitFor({ state: "detached", ...poll });
    await expect.poll(() => sarah.getByTestId(`queue-position-${third}`).textContent(), poll).toBe("1");

    await expectInThread(jane, "Mike Chen joined the chat.");
    await jane.getByTestId("queued-notice").waitFor({ state: "detached", ...poll });
    await expect.poll(() => waitingText(visitor), poll).toContain("You are number 1 in line");
    // The customers never saw anything of the staff's race.
    expect(await threadText(jane)).not.toContain("Sarah");
  });

  it("with someone online but busy, the customer is given a wait that counts down", async () => {
    // Mike is online with room for one chat, and holds one: Bob has to wait, and now there is an estimate.
    const admin = await j.login("admin@acme.test");
    const mike = await j.login("mike@acme.test");
    const mikeId = (await j.api("GET", "/me", { token: mike })).body.user.id as string;
    expect((await j.api("PATCH", `/staff/${mikeId}`, { token: admin, body: { maxChats: 1 } })).status).toBe(
      200,
    );
    expect(
      (await j.api("PATCH", "/me/availability", { token: mike, body: { status: "online" } })).status,
    ).toBe(200);

    // Bob's browser clock is under the journey's control, to see minutes pass in an instant.
    const bob = await j.newPage();
    await bob.clock.install();
    await signIn(bob, j.url, { tenant: "acme", email: "bob@acme.test" });
    await waitForPath(bob, "/portal");
    await startChat(bob, "Lost card", "I think I lost my card on the bus.");
    // Second behind the visitor; one place frees every five minutes or so.
    await expect.poll(() => waitingText(bob), poll).toBe("You are number 2 in line, about 10 minutes.");
    await bob.clock.fastForward("05:00");
    await expect.poll(() => waitingText(bob), poll).toBe("You are number 2 in line, about 5 minutes.");
    await bob.clock.fastForward("20:00");
    await expect.poll(() => waitingText(bob), poll).toBe("You are number 2 in line, less than a minute.");
  });

  it("a chat waiting past the first-response target is flagged in the queue and the team lead is told", async () => {
    const lead = await signedInPage(j, "lead@acme.test", "/console");
    await lead.getByTestId(`queue-row-${third}`).waitFor(poll);
    const admin = await j.login("admin@acme.test");
    expect(
      (await j.api("PATCH", "/settings", { token: admin, body: { firstResponseTargetSeconds: 10 } })).status,
    ).toBe(200);
    // Routing's clock checks every few seconds.
    await sarah.getByTestId(`queue-overdue-${third}`).waitFor({ timeout: 30_000 });
    // The agent's queue now: the overdue chat first, expected waits counting down.
    await shootThemes(sarah, "console-queue");
    // Chats taken but not yet answered are announced too; this one is the visitor's, still waiting.
    const notice = lead.getByTestId("toast-info").filter({ hasText: `Chat #${third} has waited` });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain("It is at the front of the queue.");
    await notice.getByTestId("toast-action").click();
    await lead.waitForURL((url) => url.pathname.startsWith("/console/conversations/"), poll);
    await expectInThread(lead, "Do you offer business accounts?");
    expect(j.pageErrors).toEqual([]);
  });
});
