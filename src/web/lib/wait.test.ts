import { describe, expect, it } from "vitest";
import {
  approximateWait,
  durationWords,
  formatClock,
  remainingWait,
  secondsSince,
  shortWait,
  waitingSentence,
} from "./wait";

describe("waiting times", () => {
  it("counts whole seconds and never goes negative", () => {
    expect(secondsSince(1_000, 3_999)).toBe(2);
    expect(secondsSince(5_000, 1_000)).toBe(0);
  });

  it("shows a running clock", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(7)).toBe("0:07");
    expect(formatClock(754)).toBe("12:34");
    expect(formatClock(3723)).toBe("1:02:03");
    expect(formatClock(-4)).toBe("0:00");
  });

  it("says a duration in words", () => {
    expect(durationWords(0)).toBe("0 seconds");
    expect(durationWords(61)).toBe("1 minute 1 second");
    expect(durationWords(3600)).toBe("1 hour");
  });

  it("counts an estimate down but never below zero, and keeps an unknown unknown", () => {
    expect(remainingWait(120, 30)).toBe(90);
    expect(remainingWait(120, 500)).toBe(0);
    expect(remainingWait(null, 30)).toBeNull();
  });

  it("rounds estimates the way people speak", () => {
    expect(approximateWait(0)).toBe("less than a minute");
    expect(approximateWait(59)).toBe("less than a minute");
    expect(approximateWait(60)).toBe("about 1 minute");
    expect(approximateWait(89)).toBe("about 1 minute");
    expect(approximateWait(120)).toBe("about 2 minutes");
    expect(approximateWait(25 * 60)).toBe("about 25 minutes");
    expect(approximateWait(3 * 3600)).toBe("about 3 hours");
  });

  it("tells the customer their place and the wait", () => {
    expect(waitingSentence(3, 120)).toBe("You are number 3 in line, about 2 minutes.");
    expect(waitingSentence(1, 10)).toBe("You are number 1 in line, less than a minute.");
    expect(waitingSentence(2, null)).toBe(
      "You are number 2 in line, we will answer as soon as someone is available.",
    );
  });

  it("abbreviates estimates for tables", () => {
    expect(shortWait(null)).toBe("—");
    expect(shortWait(30)).toBe("< 1 min");
    expect(shortWait(150)).toBe("~3 min");
    expect(shortWait(4 * 3600)).toBe("~4 h");
  });
});
