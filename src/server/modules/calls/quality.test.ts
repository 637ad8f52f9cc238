import { describe, expect, it } from "vitest";
import {
  callQuality,
  delayImpairment,
  lossImpairment,
  mos,
  mosFromR,
  oneWayDelayMs,
  rFactor,
} from "./quality";

const clean = { rttMs: 0, jitterMs: 0, packetLossPct: 0, bytesSent: 1000, bytesReceived: 1000 };

describe("call quality (simplified E-model)", () => {
  it("maps R to MOS as G.107 does at its reference points", () => {
    // The R → MOS table of ITU-T G.107 annex B.
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2);
    expect(mosFromR(90)).toBeCloseTo(4.34, 2);
    expect(mosFromR(80)).toBeCloseTo(4.02, 2);
    expect(mosFromR(70)).toBeCloseTo(3.6, 2);
    expect(mosFromR(60)).toBeCloseTo(3.1, 5);
    expect(mosFromR(50)).toBeCloseTo(2.58, 2);
  });

  it("clamps: 1 at R ≤ 0, 4.5 at R ≥ 100, always within 1–5", () => {
    expect(mosFromR(-20)).toBe(1);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(100)).toBeCloseTo(4.5, 5);
    expect(mosFromR(1000)).toBe(4.5);
    for (let r = -50; r <= 150; r += 0.5) {
      expect(mosFromR(r)).toBeGreaterThanOrEqual(1);
      expect(mosFromR(r)).toBeLessThanOrEqual(5);
    }
  });

  it("delay: half the round trip, twice the jitter and 10 ms; impairment steepens past 177.3 ms", () => {
    expect(oneWayDelayMs({ rttMs: 100, jitterMs: 5 })).toBe(70);
    expect(delayImpairment(100)).toBeCloseTo(2.4, 10);
    expect(delayImpairment(177.3)).toBeCloseTo(4.2552, 10);
    expect(delayImpairment(400)).toBeCloseTo(9.6 + 0.11 * 222.7, 10);
  });

  it("loss: none costs nothing, 25.1 % costs half of 95", () => {
    expect(lossImpairment(0)).toBe(0);
    expect(lossImpairment(25.1)).toBeCloseTo(47.5, 10);
    expect(lossImpairment(100)).toBeCloseTo(75.94, 2);
  });

  it("scores known conditions", () => {
    // A clean line: only the fixed 10 ms of delay.
    expect(rFactor(clean)).toBeCloseTo(92.96, 10);
    expect(mos(clean)).toBe(4.4);
    // A good line: 50 ms round trip, 5 ms jitter, 1 % loss.
    expect(mos({ ...clean, rttMs: 50, jitterMs: 5, packetLossPct: 1 })).toBe(4.3);
    // A long way with some loss: 300 ms, 20 ms, 5 % → R ≈ 70.12.
    expect(rFactor({ ...clean, rttMs: 300, jitterMs: 20, packetLossPct: 5 })).toBeCloseTo(70.122, 3);
    expect(mos({ ...clean, rttMs: 300, jitterMs: 20, packetLossPct: 5 })).toBe(3.6);
    // A bad line: 600 ms, 50 ms, 10 % → R ≈ 30.7.
    expect(mos({ ...clean, rttMs: 600, jitterMs: 50, packetLossPct: 10 })).toBe(1.64);
  });

  it("the call takes the worse side and is poor below 3.1", () => {
    const good = { ...clean, rttMs: 50, jitterMs: 5, packetLossPct: 1 };
    const bad = { ...clean, rttMs: 600, jitterMs: 50, packetLossPct: 10 };
    expect(callQuality([good, bad])).toEqual({ quality: 1.64, poor: true });
    expect(callQuality([good, undefined])).toEqual({ quality: 4.3, poor: false });
    expect(callQuality([undefined, undefined])).toBeNull();
    const borderline = { ...clean, packetLossPct: 20 };
    const score = mos(borderline);
    expect(callQuality([borderline])?.poor).toBe(score < 3.1);
  });
});
