import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { expectInThread, send, signedInPage } from "./support/chat";
import { hostSite } from "./support/host-site";
import { type Journey, setupTimeout, startJourney } from "./support/journey";
import { shootThemes } from "./support/screens";

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
  /**
   * The toast of a call still ringing for her: one a colleague took stays a few seconds saying so, and may still
   * be there when the next call rings.
   */
  const ringingToast = (page: Page) =>
    page.getByTestId("call-toast").filter({ has: page.getByTestId("call-answer") });
  /** John calls from the portal and Sarah answers from her toast; the call's id once John hears her. */
  const johnCallsSarahAnswers = async () => {
    await john.getByTestId("call-us").click();
    const toast = ringingToast(sarah);
    await toast.waitFor(poll);
    const callId = (await toast.getAttribute("data-call-id"))!;
    await toast.getByTestId("call-answer").click();
    await expect.poll(() => both(john), poll).toBeGreaterThan(500);
    return callId;
  };

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

  it("a customer who calls again straight after a call ends is rung through every time", async () => {
    for (let round = 1; round <= 6; round++) {
      await john.getByTestId("call-us").click();
      const toast = ringingToast(sarah);
      await toast.waitFor(poll).catch(async (err) => {
        const calls = (await j.api("GET", "/calls", { token: tokens.john })).body.items;
        throw new Error(
          `round ${round}: no toast; john sees ${await john.getByTestId("call-card").textContent()}; calls ${JSON.stringify(calls.slice(0, 2).map((c: { status: string; id: string }) => [c.id, c.status]))}: ${err}`,
        );
      });
      await toast.getByTestId("call-answer").click();
      await john.getByTestId("call-panel").waitFor(poll);
      await expect.poll(() => both(john), poll).toBeGreaterThan(500);
      await sarah.getByTestId("call-hang-up").click();
      await john.getByTestId("call-ended").waitFor(poll);
    }
  });

  it("on a call the agent sees the customer and a chat beside it, and records with the customer told first", async () => {
    const admin = await j.login("admin@acme.test");
    expect(
      (await j.api("PATCH", "/settings", { token: admin, body: { recordingEnabled: true } })).status,
    ).toBe(200);
    await sarah
      .getByTestId("call-dismiss")
      .click({ timeout: 2_000 })
      .catch(() => {});
    const callId = await johnCallsSarahAnswers();

    // Beside the call: who is calling and a chat with them, started from the call if none is open.
    const workspace = sarah.getByTestId("call-workspace");
    await workspace.waitFor(poll);
    expect(await workspace.getByTestId("call-customer-name").textContent()).toBe("John Doe");
    expect(await workspace.getByTestId("call-customer-email").textContent()).toBe("john@acme.test");
    const start = workspace.getByTestId("call-start-chat");
    const chat = workspace.getByTestId("call-chat");
    await Promise.race([start.waitFor(poll), chat.waitFor(poll)]);
    if (await start.isVisible()) await start.click();
    await chat.waitFor(poll);
    const chatId = (await chat.getAttribute("data-conversation-id"))!;
    await send(sarah, "Here is the link to reset your card PIN.");
    const thread = await j.api("GET", `/conversations/${chatId}/messages`, { token: tokens.john });
    expect(thread.body.items.map((m: { body: string }) => m.body)).toContain(
      "Here is the link to reset your card PIN.",
    );

    // Nothing is recorded before the customer's screen says so.
    expect(await john.getByTestId("call-recorded-notice").count()).toBe(0);
    const recording = sarah.getByTestId("call-recording");
    await recording.getByTestId("call-record").click();
    await john.getByTestId("call-recorded-notice").waitFor(poll);
    await expect.poll(() => recording.getAttribute("data-state"), poll).toBe("recording");
    await shootThemes(sarah, "call-workspace-recording");
    await sarah.getByTestId("call-workspace-toggle").click();
    expect(await sarah.getByTestId("call-workspace").count()).toBe(0);
    await sarah.waitForTimeout(2_500); // two and a half seconds of the fake microphone's beeps on the recording
    await recording.getByTestId("call-record-stop").click();
    await expect.poll(() => recording.getAttribute("data-state"), poll).toBe("saved");
    expect(await recording.getByTestId("call-record").count()).toBe(0);

    const call = (await j.api("GET", `/calls/${callId}`, { token: tokens.sarah })).body;
    expect(call.recordingAvailable).toBe(true);
    expect(call.recordingNoticeAt).toEqual(expect.any(String));
    // The agent's browser plays it back: decoded, it lasts about as long as it recorded.
    const seconds = await sarah.evaluate(async (id) => {
      const res = await fetch(`/api/v1/calls/${id}/recording`, { credentials: "include" });
      const audio = await new AudioContext().decodeAudioData(await res.arrayBuffer());
      return audio.duration;
    }, callId);
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(30);
    await sarah.getByTestId("call-hang-up").click();
    await john.getByTestId("call-ended").waitFor(poll);
  });

  it("a recording still running when the call ends is saved by itself", async () => {
    await sarah.getByTestId("call-dismiss").click(poll);
    const callId = await johnCallsSarahAnswers();
    await sarah.getByTestId("call-record").click();
    await john.getByTestId("call-recorded-notice").waitFor(poll);
    await expect
      .poll(() => sarah.getByTestId("call-recording").getAttribute("data-state"), poll)
      .toBe("recording");
    await sarah.waitForTimeout(1_500);
    // The customer hangs up: the agent's side stops the recorder and uploads it.
    await john.getByTestId("call-hang-up").click();
    await expect
      .poll(async () => (await j.api("GET", `/calls/${callId}`, { token: tokens.sarah })).body, poll)
      .toMatchObject({ status: "completed", recordingAvailable: true });
    const file = await sarah.evaluate(async (id) => {
      const res = await fetch(`/api/v1/calls/${id}/recording`, { credentials: "include" });
      return { status: res.status, type: res.headers.get("content-type"), size: (await res.blob()).size };
    }, callId);
    expect(file).toMatchObject({ status: 200, type: expect.stringContaining("audio/") });
    expect(file.size).toBeGreaterThan(1_000);
    // Customers never hear recordings, not even of their own calls.
    expect((await j.api("GET", `/calls/${callId}/recording`, { token: tokens.john })).status).toBe(403);
  });

  it("a visitor calls from the widget's chat on another site, and the agent has that chat beside the call", async () => {
    await sarah
      .getByTestId("call-dismiss")
      .click({ timeout: 2_000 })
      .catch(() => {});
    const host = await hostSite(j.url);
    try {
      const visitor = await j.newPage();
      await visitor.goto(host.url);
      await visitor.getByTestId("switchboard-widget-bubble").click();
      const widget = visitor.frameLocator('[data-testid="switchboard-widget-frame"]');
      await widget.getByTestId("widget-name").fill("Vera Visitor");
      await widget.getByTestId("widget-email").fill("vera.calls@visitor.test");
      await widget.getByTestId("widget-start").click();
      await widget.getByTestId("widget-first-input").fill("Can I talk to someone about my loan?");
      await widget.getByTestId("widget-first-send").click();
      await widget.getByTestId("widget-thread").waitFor(poll);

      // The frame may use the microphone only because the widget's script allows it on the host page.
      expect(await visitor.getByTestId("switchboard-widget-frame").getAttribute("allow")).toContain(
        "microphone",
      );
      await widget.getByTestId("call-us").click();
      const toast = ringingToast(sarah);
      await toast.waitFor(poll);
      expect(await toast.getByTestId("call-toast-customer").textContent()).toBe("Vera Visitor");
      await toast.getByTestId("call-answer").click();
      await widget.getByTestId("call-panel").waitFor(poll);
      const bytes = async () =>
        Number((await widget.getByTestId("call-stats").getAttribute("data-bytes-received")) ?? 0);
      await expect.poll(bytes, poll).toBeGreaterThan(1_000);

      // The call belongs to the chat it was placed from: the agent sees that chat's messages beside it.
      const chat = sarah.getByTestId("call-chat");
      await chat.waitFor(poll);
      await expectInThread(sarah, "Can I talk to someone about my loan?");
      const calls = (await j.api("GET", "/calls", { token: tokens.sarah })).body.items;
      expect(calls[0].conversationId).toBe(await chat.getAttribute("data-conversation-id"));
      await sarah.getByTestId("call-hang-up").click();
      await widget.getByTestId("call-ended").waitFor(poll);
    } finally {
      await new Promise((resolve) => host.server.close(resolve));
    }
  });

  it("no page threw along the way", () => {
    expect(j.pageErrors).toEqual([]);
  });
});
