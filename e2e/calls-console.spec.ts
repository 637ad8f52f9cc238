import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserJourneys } from "./support/browser";
import { signedInPage } from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";
import { shootThemes } from "./support/screens";

const poll = { timeout: 15_000 };
/** Chromium's fake microphone (a beeping tone), granted without a prompt, with ICE over loopback. */
const fakeMicrophone = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
];

const people = ["john", "jane", "bob", "sarah", "mike", "supervisor", "admin"] as const;
/** What a browser on a bad line reports at hang-up. */
const poorLine = {
  rttMs: 600,
  jitterMs: 50,
  packetLossPct: 10,
  bytesSent: 40_000,
  bytesReceived: 30_000,
};
type Who = (typeof people)[number];

async function text(page: Page, testId: string): Promise<string> {
  return (
    (await page
      .getByTestId(testId)
      .first()
      .textContent({ timeout: 2_000 })
      .catch(() => "")) ?? ""
  );
}

const seconds = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).getAttribute("data-seconds", { timeout: 2_000 })) ?? -1);

/** The newest call a customer has made, as the API has it. */
async function latestCall(j: Journey, token: string): Promise<{ id: string; status: string }> {
  const calls = await j.api("GET", "/calls", { token });
  expect(calls.status).toBe(200);
  return calls.body.items[0];
}

describe.skipIf(skipBrowserJourneys)("calls in the console: queue, live calls, recent calls", () => {
  let j: Journey;
  let supervisor: Page;
  let sarah: Page;
  let mike: Page;
  let takenCallId: string;
  const tokens = {} as Record<Who, string>;
  const availability = (who: Who, status: string) =>
    j.api("PATCH", "/me/availability", { token: tokens[who], body: { status } });

  beforeAll(async () => {
    j = await startJourney({ browserArgs: fakeMicrophone });
    for (const who of people) tokens[who] = await j.login(`${who}@acme.test`);
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
  });

  it("a supervisor's team board shows a call live, with its customer, its agent and a running clock, until it ends", async () => {
    supervisor = await signedInPage(j, "supervisor@acme.test", "/console");
    await supervisor.getByTestId("nav-team-board").click();
    await supervisor.getByTestId("live-calls-empty").waitFor(poll);

    sarah = await signedInPage(j, "sarah@acme.test", "/console");
    expect((await availability("sarah", "online")).status).toBe(200);
    const john = await signedInPage(j, "john@acme.test", "/portal");
    await john.getByTestId("call-us").click();
    const toast = sarah.getByTestId("call-toast");
    await toast.waitFor(poll);
    const callId = (await toast.getAttribute("data-call-id"))!;

    // Ringing: on the board before anyone answers.
    await supervisor.getByTestId(`live-call-${callId}`).waitFor(poll);
    expect(await text(supervisor, `live-call-customer-${callId}`)).toBe("John Doe");
    expect(await text(supervisor, `live-call-agent-${callId}`)).toBe("Not answered yet");

    await toast.getByTestId("call-answer").click();
    await john.getByTestId("call-panel").waitFor(poll);
    await expect.poll(() => text(supervisor, `live-call-status-${callId}`), poll).toBe("On the call");
    expect(await text(supervisor, `live-call-agent-${callId}`)).toBe("Sarah Johnson");
    expect(await text(supervisor, `live-call-customer-${callId}`)).toBe("John Doe");
    expect(await text(supervisor, "live-calls-total")).toBe("1 on a call");
    // The clock runs on the board with nothing else happening.
    await expect.poll(() => seconds(supervisor, `live-call-timer-${callId}`), poll).toBeGreaterThanOrEqual(2);
    const earlier = await seconds(supervisor, `live-call-timer-${callId}`);
    await expect.poll(() => seconds(supervisor, `live-call-timer-${callId}`), poll).toBeGreaterThan(earlier);
    expect(await text(supervisor, `live-call-timer-${callId}`)).toMatch(/^\d+:\d\d$/);
    await shootThemes(supervisor, "calls-live-board");

    await john.getByTestId("call-hang-up").click();
    await supervisor.getByTestId("live-calls-empty").waitFor(poll);
    expect(await supervisor.getByTestId(`live-call-${callId}`).count()).toBe(0);
    await sarah.getByTestId("call-dismiss").click();
    expect((await availability("sarah", "offline")).status).toBe(200);
  });

  it("an agent has the Calls page with the call queue and recent calls, but not the live calls", async () => {
    mike = await signedInPage(j, "mike@acme.test", "/console");
    await mike.getByTestId("nav-calls").click();
    await mike.getByTestId("call-queue-empty").waitFor(poll);
    await mike.getByTestId("recent-calls").waitFor(poll);
    expect(await mike.getByTestId("live-calls").count()).toBe(0);
    expect(await mike.getByTestId("nav-team-board").count()).toBe(0);
  });

  it("answering a call a colleague took first says so, and the call leaves the queue", async () => {
    const bob = await signedInPage(j, "bob@acme.test", "/portal");
    await bob.getByTestId("call-us").click();
    await bob.getByTestId("call-waiting").waitFor(poll);
    const call = await latestCall(j, tokens.bob);
    await mike.getByTestId(`call-queue-row-${call.id}`).waitFor(poll);
    // Sarah takes it through the API in the moment between Mike's click and his answer reaching the server.
    await mike.route(`**/api/v1/calls/${call.id}/answer`, async (route) => {
      expect((await j.api("POST", `/calls/${call.id}/answer`, { token: tokens.sarah })).status).toBe(200);
      await route.continue();
    });
    await mike.getByTestId(`call-queue-answer-${call.id}`).click();
    await expect
      .poll(() => text(mike, "call-queue-problem"), poll)
      .toBe("Someone else has already answered this call.");
    await mike.getByTestId("call-queue-empty").waitFor(poll);
    expect(await mike.getByTestId("call-panel").count()).toBe(0);
    await mike.unroute(`**/api/v1/calls/${call.id}/answer`);
    // Sarah's side of it was a bad line: the call is flagged poor.
    const ended = await j.api("POST", `/calls/${call.id}/end`, {
      token: tokens.sarah,
      body: { stats: poorLine },
    });
    expect(ended.body).toMatchObject({ status: "completed", poorQuality: true });
    await bob.getByTestId("call-ended").waitFor(poll);
    takenCallId = call.id;
  });

  it("an agent answers a waiting call from the call queue; recent calls show it timed and scored", async () => {
    // A fresh Calls page, without the last call's message.
    await mike.reload();
    await mike.getByTestId("call-queue-empty").waitFor(poll);
    const recording = await j.api("PATCH", "/settings", {
      token: tokens.admin,
      body: { recordingEnabled: true },
    });
    expect(recording.status).toBe(200);
    const jane = await signedInPage(j, "jane@acme.test", "/portal");
    // Nobody is online: the call waits in the queue, where Mike sees its place and waiting time.
    await jane.getByTestId("call-us").click();
    await jane.getByTestId("call-waiting").waitFor(poll);
    const call = await latestCall(j, tokens.jane);
    await mike.getByTestId(`call-queue-row-${call.id}`).waitFor(poll);
    expect(await text(mike, `call-queue-position-${call.id}`)).toBe("1");
    expect(await text(mike, `call-queue-customer-${call.id}`)).toBe("Jane Smith");
    expect(await text(mike, "call-queue-total")).toBe("1 waiting");
    await expect.poll(() => seconds(mike, `call-queue-waiting-${call.id}`), poll).toBeGreaterThanOrEqual(1);
    await shootThemes(mike, "calls-page-queue");

    await mike.getByTestId(`call-queue-answer-${call.id}`).click();
    await mike.getByTestId("call-panel").waitFor(poll);
    expect(await text(mike, "call-other-name")).toBe("Jane Smith");
    await jane.getByTestId("call-panel").waitFor(poll);
    expect(await text(jane, "call-other-name")).toBe("Mike Chen");
    await mike.getByTestId("call-queue-empty").waitFor(poll);
    await expect.poll(() => text(mike, "call-timer"), poll).not.toMatch(/^0:0[01]$/);
    const told = await j.api("POST", `/calls/${call.id}/recording/notice`, { token: tokens.mike });
    expect(told.status).toBe(200);

    // The supervisor's Calls page shows it going on.
    await supervisor.getByTestId("nav-calls").click();
    await supervisor.getByTestId(`live-call-${call.id}`).waitFor(poll);
    expect(await text(supervisor, `live-call-agent-${call.id}`)).toBe("Mike Chen");

    // Each side reports its figures at hang-up; with both in, the call's score is final.
    const report = (page: Page) =>
      page.waitForResponse(
        (r) => r.request().method() === "POST" && r.url().endsWith(`/calls/${call.id}/end`),
        poll,
      );
    const reports = Promise.all([report(jane), report(mike)]);
    await jane.getByTestId("call-hang-up").click();
    await mike.getByTestId("call-ended").waitFor(poll);
    await supervisor.getByTestId("live-calls-empty").waitFor(poll);
    await reports;
    const stored = (await j.api("GET", `/calls/${call.id}`, { token: tokens.supervisor })).body;
    expect(stored).toMatchObject({ status: "completed", quality: expect.any(Number) });
    expect(stored.durationSeconds).toBeGreaterThanOrEqual(1);
    // The lists follow the call's updates: completed, timed and scored, with no reload.
    for (const page of [mike, supervisor]) {
      await expect.poll(() => text(page, `recent-call-status-${call.id}`), poll).toBe("Completed");
      await expect
        .poll(() => seconds(page, `recent-call-duration-${call.id}`), poll)
        .toBe(stored.durationSeconds);
      await expect
        .poll(() => text(page, `recent-call-quality-${call.id}`), poll)
        .toBe(stored.quality.toFixed(1));
      expect(await page.getByTestId(`recent-call-poor-${call.id}`).count()).toBe(stored.poorQuality ? 1 : 0);
    }
    await mike.getByTestId("call-dismiss").click();
    expect(await supervisor.getByTestId(`recent-call-poor-${takenCallId}`).textContent()).toBe("Poor");

    // Mike's browser records two seconds of its microphone as a MediaRecorder does (WebM, with no duration in its
    // header) and uploads it as the call's recording.
    const uploaded = await mike.evaluate(async (id) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream, { mimeType: "audio/webm;codecs=opus" });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((resolve) => {
        recorder.onstop = resolve;
      });
      recorder.start(250);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      recorder.stop();
      await stopped;
      for (const track of stream.getTracks()) track.stop();
      const form = new FormData();
      form.append("file", new Blob(chunks, { type: "audio/webm" }), "recording.webm");
      const res = await fetch(`/api/v1/calls/${id}/recording`, { method: "POST", body: form });
      return res.status;
    }, call.id);
    expect(uploaded).toBe(201);
    // The supervisor's list hears of it; the player fetches it and learns its real length.
    await supervisor.getByTestId(`recent-call-listen-${call.id}`).click();
    const player = supervisor.getByTestId("recording-player");
    await player.waitFor(poll);
    const duration = async () => Number((await player.getAttribute("data-duration")) ?? 0);
    await expect.poll(duration, poll).toBeGreaterThan(1.5);
    expect(await duration()).toBeLessThan(3);
    expect(
      await player.evaluate((el: HTMLAudioElement) => [el.currentTime, el.src.startsWith("blob:")]),
    ).toEqual([0, true]);
    await shootThemes(supervisor, "calls-page");
  });

  it("no page threw along the way", () => {
    expect(j.pageErrors).toEqual([]);
  });
});
