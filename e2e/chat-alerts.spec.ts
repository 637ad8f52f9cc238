import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, send, signedInPage, waitForThread } from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

const poll = { timeout: 15_000 };

type Probe = { notes: Array<{ title: string; body?: string }>; beeps: number; hidden: boolean };

/**
 * Headless Chromium has no hidden tabs and no notification centre: the page is made to report "hidden" on
 * demand, Notification records what would be shown, and the oscillators of the beep are counted.
 */
function installProbe() {
  const probe: Probe = { notes: [], beeps: 0, hidden: false };
  Object.assign(window, { __probe: probe });
  Object.defineProperty(document, "visibilityState", {
    configurable: true,
    get: () => (probe.hidden ? "hidden" : "visible"),
  });
  class FakeNotification {
    static permission = "granted";
    static requestPermission = () => Promise.resolve("granted");
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      probe.notes.push({ title, body: options?.body });
    }
    close() {}
  }
  Object.assign(window, { Notification: FakeNotification });
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    probe.beeps++;
    return create.call(this);
  };
}

const probeOf = (page: Page) => page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    (window as unknown as { __probe: Probe }).__probe.hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);

describe.skipIf(skipBrowserJourneys)("alerts for messages that arrive in a hidden tab", () => {
  let j: Journey;
  let conv: { id: string; number: number };
  let sarah: string;

  beforeAll(async () => {
    j = await startJourney();
    const admin = await j.login("admin@acme.test");
    await j.api("PATCH", "/settings", { token: admin, body: { autoAssignment: false } });
    const john = await j.login("john@acme.test");
    sarah = await j.login("sarah@acme.test");
    const sarahId = (await j.api("GET", "/me", { token: sarah })).body.user.id;
    conv = (await j.api("POST", "/conversations", { token: john, body: { message: "Hello?" } })).body;
    await j.api("POST", `/conversations/${conv.id}/assign`, { token: sarah, body: { assigneeId: sarahId } });
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("beeps and notifies while hidden, and leaves the message unread until the tab is seen", async () => {
    const page = await signedInPage(j, "john@acme.test", "/portal");
    await page.addInitScript(installProbe);
    await page.goto(`${j.url}/portal/chats/${conv.id}`);
    await waitForThread(page);
    // Browsers only let audio start after a gesture on the page.
    await page.getByTestId("composer-input").click();
    await setHidden(page, true);

    const sent = await j.api("POST", `/conversations/${conv.id}/messages`, {
      token: sarah,
      body: { body: "Are you still there?", clientId: "alert-1" },
    });
    await expectInThread(page, "Are you still there?");
    await expect
      .poll(async () => (await probeOf(page)).notes, { timeout: 10_000 })
      .toEqual([{ title: "Sarah Johnson", body: "Are you still there?" }]);
    expect((await probeOf(page)).beeps).toBeGreaterThan(0);
    const readSeq = async () => {
      const c = await j.api("GET", `/conversations/${conv.id}`, { token: sarah });
      return c.body.participants.find((p: { role: string }) => p.role === "customer").lastReadSeq as number;
    };
    expect(await readSeq()).toBeLessThan(sent.body.seq);

    // Seen: read now, and no alert for what arrives while the tab is in front.
    await setHidden(page, false);
    await expect.poll(readSeq, { timeout: 10_000 }).toBe(sent.body.seq);
    await j.api("POST", `/conversations/${conv.id}/messages`, {
      token: sarah,
      body: { body: "Great, talk soon", clientId: "alert-2" },
    });
    await expectInThread(page, "Great, talk soon");
    expect((await probeOf(page)).notes).toHaveLength(1);
    expect(j.pageErrors).toEqual([]);
    // An open, visible thread reads everything that arrives: it would clear the next test's badges at once.
    await page.close();
  });

  it("unread badges count live on both sides and clear once the thread is read", async () => {
    const john = await signedInPage(j, "john@acme.test", "/portal");
    const agent = await signedInPage(j, "sarah@acme.test", "/console");
    const unread = (page: Page, testId: string) =>
      page
        .getByTestId(testId)
        .getAttribute("data-count", { timeout: 2_000 })
        .catch(() => null);
    await john.getByTestId(`my-chat-${conv.number}`).waitFor();
    await agent.getByTestId(`inbox-row-${conv.number}`).waitFor();

    await j.api("POST", `/conversations/${conv.id}/messages`, {
      token: sarah,
      body: { body: "One more thing", clientId: "alert-3" },
    });
    await expect.poll(() => unread(john, `my-chat-${conv.number}-unread`), poll).toBe("1");

    await john.getByTestId(`my-chat-${conv.number}`).click();
    await waitForThread(john);
    await send(john, "Yes?");
    await expect.poll(() => unread(agent, `inbox-row-${conv.number}-unread`), poll).toBe("1");
    await john.getByTestId("chat-back").click();
    await expect.poll(() => unread(john, `my-chat-${conv.number}-unread`), poll).toBe(null);

    await agent.getByTestId(`inbox-row-${conv.number}`).click();
    await waitForThread(agent);
    await expect.poll(() => unread(agent, `inbox-row-${conv.number}-unread`), poll).toBe(null);
  });
});
