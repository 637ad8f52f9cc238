import type { CallStats } from "../../protocol/call";

/** The audio RTP figures from one getStats() report, summed over the call's audio streams. */
export function summariseStats(report: RTCStatsReport): CallStats {
  let bytesSent = 0;
  let bytesReceived = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let jitterS = 0;
  let rttS: number | null = null;
  report.forEach((s: Record<string, unknown> & { type: string }) => {
    const audio = s.kind === "audio" || s.mediaType === "audio";
    if (s.type === "outbound-rtp" && audio) bytesSent += Number(s.bytesSent ?? 0);
    if (s.type === "inbound-rtp" && audio) {
      bytesReceived += Number(s.bytesReceived ?? 0);
      packetsReceived += Number(s.packetsReceived ?? 0);
      packetsLost += Math.max(0, Number(s.packetsLost ?? 0));
      jitterS = Math.max(jitterS, Number(s.jitter ?? 0));
    }
    // The remote side's view of our stream carries the round trip; the selected candidate pair is the fallback.
    if (s.type === "remote-inbound-rtp" && typeof s.roundTripTime === "number") rttS = s.roundTripTime;
    if (
      s.type === "candidate-pair" &&
      s.nominated &&
      rttS === null &&
      typeof s.currentRoundTripTime === "number"
    )
      rttS = s.currentRoundTripTime;
  });
  const packets = packetsReceived + packetsLost;
  return {
    rttMs: round(Math.min(60_000, (rttS ?? 0) * 1000)),
    jitterMs: round(Math.min(10_000, jitterS * 1000)),
    packetLossPct: packets ? round((packetsLost / packets) * 100) : 0,
    bytesSent,
    bytesReceived,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
