import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Coturn, coturnAvailable, startCoturn } from "../test/helpers/coturn";
import { skipBrowserJourneys } from "./support/browser";
import { signedInPage } from "./support/chat";
import { type Journey, setupTimeout, startJourney } from "./support/journey";

// CI installs coturn, so there a missing turnserver is a failure, not a skip.
if (!coturnAvailable && process.env.CI)
  throw new Error("CI=true but turnserver/turnutils_uclient are not installed (Debian package coturn)");
if (!coturnAvailable)
  console.log("Relay-only browser call: turnserver is not installed (apt-get install coturn); skipping");

const poll = { timeout: 20_000 };
const fakeMicrophone = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
];

interface PeerView {
  policy: string | undefined;
  bytesSent: number;
  bytesReceived: number;
  local: string | undefined;
  remote: string | undefined;
}

/**
 * Keeps each RTCPeerConnection the page makes, so the test can read the configuration it got and its getStats()
 * from outside; the app itself is unchanged.
 */
function watchPeerConnections(page: Page) {
  return page.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const seen: RTCPeerConnection[] = [];
    Object.assign(window, { __peers: seen });
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        seen.push(this);
      }
    };
  });
}

/** The latest connection's policy, audio bytes and the candidate types of its selected pair. */
function peerView(page: Page): Promise<PeerView | null> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __peers?: RTCPeerConnection[] }).__peers ?? [];
    const pc = peers.at(-1);
    if (!pc) return null;
    const reports = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const byId = new Map(reports.map((r) => [r.id as string, r]));
    const transport = reports.find((r) => r.type === "transport");
    const pair = byId.get(transport?.selectedCandidatePairId as string);
    const sum = (type: string, field: string) =>
      reports
        .filter((r) => r.type === type && r.kind === "audio")
        .reduce((n, r) => n + Number(r[field] ?? 0), 0);
    return {
      policy: pc.getConfiguration().iceTransportPolicy,
      bytesSent: sum("outbound-rtp", "bytesSent"),
      bytesReceived: sum("inbound-rtp", "bytesReceived"),
      local: byId.get(pair?.localCandidateId as string)?.candidateType as string | undefined,
      remote: byId.get(pair?.remoteCandidateId as string)?.candidateType as string | undefined,
    };
  });
}

describe.skipIf(skipBrowserJourneys || !coturnAvailable)("a browser call relayed only through coturn", () => {
  let j: Journey;
  let turn: Coturn;

  beforeAll(async () => {
    turn = await startCoturn();
    j = await startJourney({ browserArgs: fakeMicrophone, env: { TURN_RELAY_ONLY: "true" } });
  }, setupTimeout);
  afterAll(async () => {
    await j?.close();
    await turn?.stop();
  });

  it("with TURN_RELAY_ONLY both browsers use relay candidates only, audio flows both ways, the call completes", async () => {
    // The super admin points acme at the private coturn; browsers get short-lived credentials for it.
    const root = await j.login("root@switchboard.test", null);
    const saved = await j.api("PATCH", "/settings", {
      token: root,
      headers: { "x-tenant": "acme" },
      body: { iceServers: [{ urls: `turn:${turn.host}:${turn.port}?transport=udp`, secret: turn.secret }] },
    });
    expect(saved.status).toBe(200);
    const john = await j.login("john@acme.test");
    const ice = await j.api("GET", "/calls/ice-servers", { token: john });
    expect(ice.body.iceTransportPolicy).toBe("relay");
    expect(ice.body.iceServers).toEqual([
      {
        urls: `turn:127.0.0.1:${turn.port}?transport=udp`,
        username: expect.any(String),
        credential: expect.any(String),
      },
    ]);

    const sarah = await j.login("sarah@acme.test");
    expect(
      (await j.api("PATCH", "/me/availability", { token: sarah, body: { status: "online" } })).status,
    ).toBe(200);
    const customer = await signedInPage(j, "john@acme.test", "/portal");
    const agent = await signedInPage(j, "sarah@acme.test", "/console");
    await watchPeerConnections(customer);
    await watchPeerConnections(agent);
    await Promise.all([customer.reload(), agent.reload()]);

    await customer.getByTestId("call-us").click();
    const toast = agent.getByTestId("call-toast");
    await toast.waitFor(poll);
    const callId = (await toast.getAttribute("data-call-id"))!;
    await toast.getByTestId("call-answer").click();
    await agent.getByTestId("call-panel").waitFor(poll);
    await customer.getByTestId("call-panel").waitFor(poll);

    // Audio RTP both ways on both sides, over a pair whose two ends are coturn relay addresses.
    for (const page of [customer, agent]) {
      await expect
        .poll(async () => {
          const view = await peerView(page);
          return view && Math.min(view.bytesSent, view.bytesReceived);
        }, poll)
        .toBeGreaterThan(2_000);
      expect(await peerView(page)).toMatchObject({ policy: "relay", local: "relay", remote: "relay" });
    }
    // coturn allocated a relay for each of them with their own short-lived credential: the audio went through it.
    for (const token of [john, sarah]) {
      const { id } = (await j.api("GET", "/me", { token })).body.user;
      expect(turn.output()).toContain(`:${id}>: incoming packet ALLOCATE processed, success`);
    }

    await agent.getByTestId("call-hang-up").click();
    await customer.getByTestId("call-ended").waitFor(poll);
    await agent.getByTestId("call-ended").waitFor(poll);
    await expect
      .poll(async () => (await j.api("GET", `/calls/${callId}`, { token: john })).body, poll)
      .toMatchObject({ status: "completed", quality: expect.any(Number) });
    const call = (await j.api("GET", `/calls/${callId}`, { token: sarah })).body;
    expect(call.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(j.pageErrors).toEqual([]);
  }, 90_000);
});
