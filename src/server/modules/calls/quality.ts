import type { CallStats } from "../../../protocol/call";

/**
 * A call's quality, estimated from the browsers' getStats() summaries with a simplified ITU-T G.107 E-model:
 *
 *   one-way delay d = rtt / 2 + 2 · jitter + 10 ms   (the jitter buffer holds about two jitters; 10 ms of codec)
 *   Id = 0.024 · d + 0.11 · (d − 177.3) · [d > 177.3]
 *   Ie = 95 · p / (p + 25.1)                          (G.107's Ie-eff with Ie = 0 and Bpl = 25.1, random loss;
 *                                                      p = packet loss in percent)
 *   R  = 93.2 − Id − Ie
 *   MOS = 1 + 0.035 · R + 7·10⁻⁶ · R · (R − 60) · (100 − R), 1 below R = 0 and clamped to 1–5
 *
 * Each side's report gives a score; the call gets the worse one, and is poor below 3.1 (where G.107 puts "many
 * users dissatisfied").
 */
export const poorQualityBelow = 3.1;

export function oneWayDelayMs(stats: Pick<CallStats, "rttMs" | "jitterMs">): number {
  return stats.rttMs / 2 + stats.jitterMs * 2 + 10;
}

export function delayImpairment(delayMs: number): number {
  return 0.024 * delayMs + (delayMs > 177.3 ? 0.11 * (delayMs - 177.3) : 0);
}

export function lossImpairment(lossPct: number): number {
  return (95 * lossPct) / (lossPct + 25.1);
}

export function rFactor(stats: Pick<CallStats, "rttMs" | "jitterMs" | "packetLossPct">): number {
  return 93.2 - delayImpairment(oneWayDelayMs(stats)) - lossImpairment(stats.packetLossPct);
}

export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.min(5, Math.max(1, mos));
}

/** One side's score, rounded to two decimals. */
export function mos(stats: Pick<CallStats, "rttMs" | "jitterMs" | "packetLossPct">): number {
  return Math.round(mosFromR(rFactor(stats)) * 100) / 100;
}

/** The call's score from whichever sides reported: the worse one; null when neither did. */
export function callQuality(
  reports: Array<CallStats | undefined>,
): { quality: number; poor: boolean } | null {
  const scores = reports.filter((r): r is CallStats => !!r).map(mos);
  if (!scores.length) return null;
  const quality = Math.min(...scores);
  return { quality, poor: quality < poorQualityBelow };
}
