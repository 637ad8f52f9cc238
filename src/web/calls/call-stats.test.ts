import { describe, expect, it } from "vitest";
import { formatClock } from "../lib/wait";
import { summariseStats } from "./call-stats";

/** getStats() hands back a Map-like report; a Map of plain records stands in for it. */
const report = (...entries: Record<string, unknown>[]) =>
  new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;

describe("a browser's call statistics", () => {
  it("sums the audio RTP streams and takes the round trip from the far end's report", () => {
    const stats = summariseStats(
      report(
        { type: "outbound-rtp", kind: "audio", bytesSent: 1200 },
        { type: "outbound-rtp", kind: "video", bytesSent: 999_999 },
        {
          type: "inbound-rtp",
          kind: "audio",
          bytesReceived: 800,
          packetsReceived: 95,
          packetsLost: 5,
          jitter: 0.012,
        },
        { type: "remote-inbound-rtp", kind: "audio", roundTripTime: 0.0421 },
        { type: "candidate-pair", nominated: true, currentRoundTripTime: 0.5 },
      ),
    );
    expect(stats).toEqual({
      rttMs: 42.1,
      jitterMs: 12,
      packetLossPct: 5,
      bytesSent: 1200,
      bytesReceived: 800,
    });
  });

  it("falls back to the candidate pair's round trip, and reports nothing lost when nothing arrived", () => {
    const stats = summariseStats(
      report({ type: "candidate-pair", nominated: true, currentRoundTripTime: 0.002 }),
    );
    expect(stats).toEqual({ rttMs: 2, jitterMs: 0, packetLossPct: 0, bytesSent: 0, bytesReceived: 0 });
  });

  it("shows the timer as m:ss, with hours once past one", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(65.9)).toBe("1:05");
    expect(formatClock(3723)).toBe("1:02:03");
  });
});
