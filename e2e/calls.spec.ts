import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { signedInPage } from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

const poll = { timeout: 15_000 };
/** Chromium's fake microphone (a beeping tone), granted without a prompt, with ICE over loopback. */
const fakeMicrophone = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
];

/** This browser's audio bytes from getStats(), as its in-call panel shows them. */
async function audioBytes(page: Page): Promise<{ sent: number; received: number }> {
  const figures = page.getByTestId("call-stats");
  const read = async (name: string) => Number((await figures.getAttribute(name, { timeout: 2_000 })) ?? 0);
  return { sent: await read("data-bytes-sent"), received: await read("data-bytes-received") };
}

const both = async (page: Page) => Math.min(...Object.values(await audioBytes(page)));

describe.skipIf(skipBrowserJourneys)("a customer calls support from the browser", () => {
  let j: Journey;
  let john: Page;
  let sarah: Page;
  const tokens: Record<string, string> = {};
  const online = (who: string) =>
    j.api("PATCH", "/me/availability", { token: tokens[who], body: { status: "online" } });

  beforeAll(async () => {
    j = await startJourney({ browserArgs: fakeMicrophone });
    for (const who of ["john", "jane", "sarah", "mike"]) tokens[who] = await j.login(`${who}@acme.test`);
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("a refused microphone says what to do, and no call is made", async () => {
    const bob = await signedInPage(j, "bob@acme.test", "/portal");
    await bob.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    });
    await bob.reload();
    await bob.getByTestId("call-us").click();
    await bob.getByTestId("call-mic-denied").waitFor(poll);
    expect(await bob.getByTestId("call-mic-denied").textContent()).toContain('set Microphone to "Allow"');
    const calls = await j.api("GET", "/calls", { token: await j.login("bob@acme.test") });
    expect(calls.status).toBe(200);
    expect(calls.body.items).toEqual([]);
  });

  it("waits in the call queue, an agent answers, audio flows both ways, hang-up records the call", async () => {
    john = await signedInPage(j, "john@acme.test", "/portal");
    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    // Nobody online: John waits first in the call queue.
    await john.getByTestId("call-us").click();
    await john.getByTestId("call-waiting").waitFor(poll);
    await expect
      .poll(() => john.getByTestId("call-queue-position").textContent(), poll)
      .toContain("You are number 1 in the call queue");

    expect((await online("sarah")).status).toBe(200);
    const toast = sarah.getByTestId("call-toast");
    await toast.waitFor(poll);
    expect(await toast.getByTestId("call-toast-customer").textContent()).toBe("John Doe");
    const callId = (await toast.getAttribute("data-call-id"))!;
    await toast.getByTestId("call-answer").click();

    await sarah.getByTestId("call-panel").waitFor(poll);
    expect(await sarah.getByTestId("call-other-name").textContent()).toBe("John Doe");
    await john.getByTestId("call-panel").waitFor(poll);
    expect(await john.getByTestId("call-other-name").textContent()).toBe("Sarah Johnson");
    // getStats() in each page: audio RTP bytes sent and received on both sides.
    await expect.poll(() => both(john), poll).toBeGreaterThan(2_000);
    await expect.poll(() => both(sarah), poll).toBeGreaterThan(2_000);
    await expect.poll(() => john.getByTestId("call-timer").textContent(), poll).not.toBe("0:00");

    await john.getByTestId("call-mute").click();
    expect(await john.getByTestId("call-mute").getAttribute("aria-pressed")).toBe("true");
    // Each side's hang-up report carries its own getStats() summary.
    const report = (page: Page) =>
      page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(`/calls/${callId}/end`), poll);
    const reports = Promise.all([report(john), report(sarah)]);
    await john.getByTestId("call-hang-up").click();
    await john.getByTestId("call-ended").waitFor(poll);
    await sarah.getByTestId("call-ended").waitFor(poll);
    for (const request of await reports) {
      const { stats } = request.postDataJSON();
      expect(stats.bytesSent).toBeGreaterThan(2_000);
      expect(stats.bytesReceived).toBeGreaterThan(2_000);
      expect(stats.packetLossPct).toBeGreaterThanOrEqual(0);
    }

    // Both sides' reports reach the server; the call is completed, timed and scored.
    await expect
      .poll(async () => (await j.api("GET", `/calls/${callId}`, { token: tokens.john })).body, poll)
      .toMatchObject({ status: "completed", endReason: "customer_hung_up", quality: expect.any(Number) });
    const call = (await j.api("GET", `/calls/${callId}`, { token: tokens.sarah })).body;
    expect(call.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(call.quality).toBeGreaterThanOrEqual(1);
    expect(call.quality).toBeLessThanOrEqual(5);
    expect(call.agent.name).toBe("Sarah Johnson");
    await sarah.getByTestId("call-dismiss").click();
  });

  it("two agents answer at once: one gets the call, the other sees it taken", async () => {
    const mike = await signedInPage(j, "mike@acme.test", "/console");
    expect((await online("mike")).status).toBe(200);
    const jane = await signedInPage(j, "jane@acme.test", "/portal");
    await jane.getByTestId("call-us").click();
    await sarah.getByTestId("call-answer").waitFor(poll);
    await mike.getByTestId("call-answer").waitFor(poll);

    // Both press at the same moment; whoever loses may already see the toast change, so a missed click is fine.
    const press = (page: Page) =>
      page
        .getByTestId("call-answer")
        .click({ timeout: 3_000 })
        .catch(() => {});
    await Promise.all([press(sarah), press(mike)]);

    const inCall = async (page: Page) => (await page.getByTestId("call-panel").count()) > 0;
    const taken = async (page: Page) => (await page.getByTestId("call-taken").count()) > 0;
    await expect
      .poll(async () => [await inCall(sarah), await inCall(mike)].filter(Boolean).length, poll)
      .toBe(1);
    const [winner, loser] = (await inCall(sarah)) ? [sarah, mike] : [mike, sarah];
    await expect.poll(() => taken(loser), poll).toBe(true);
    expect(await inCall(loser)).toBe(false);
    await jane.getByTestId("call-panel").waitFor(poll);
    await expect.poll(() => both(winner), poll).toBeGreaterThan(1_000);

    await winner.getByTestId("call-hang-up").click();
    await jane.getByTestId("call-ended").waitFor(poll);
    const [call] = (await j.api("GET", "/calls", { token: tokens.jane })).body.items;
    expect(call.status).toBe("completed");
    expect(call.agent.name).toBe(winner === sarah ? "Sarah Johnson" : "Mike Chen");
  });

  it("no page threw along the way", () => {
    expect(j.pageErrors).toEqual([]);
  });
});
