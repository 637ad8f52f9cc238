import { describe, expect, it } from "vitest";
import { isOpenAt, nextOpening } from "./business-hours";

const weekdays9to5 = {
  timezone: "Europe/London",
  days: {
    mon: { open: "09:00", close: "17:00" },
    tue: { open: "09:00", close: "17:00" },
    wed: { open: "09:00", close: "17:00" },
    thu: { open: "09:00", close: "17:00" },
    fri: { open: "09:00", close: "17:00" },
    sat: null,
    sun: null,
  },
};

describe("business hours", () => {
  it("is always open without hours", () => {
    expect(isOpenAt(null, new Date("2026-11-22T03:00:00Z"))).toBe(true);
    expect(nextOpening(null, new Date("2026-11-22T03:00:00Z"))).toBeNull();
  });

  it.each([
    ["2026-11-23T09:00:00Z", true], // Monday 09:00 in London (GMT in winter)
    ["2026-11-23T08:59:00Z", false],
    ["2026-11-23T16:59:00Z", true],
    ["2026-11-23T17:00:00Z", false], // closing time is closed
    ["2026-11-22T12:00:00Z", false], // Sunday
    ["2026-06-15T08:30:00Z", true], // Monday 09:30 in London (BST in summer)
  ])("at %s open is %s", (at, open) => {
    expect(isOpenAt(weekdays9to5, new Date(at))).toBe(open);
  });

  it("reads the day in the tenant's time zone, not the server's", () => {
    const tokyo = { ...weekdays9to5, timezone: "Asia/Tokyo" };
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo: closed, opening today.
    expect(isOpenAt(tokyo, new Date("2026-11-22T23:30:00Z"))).toBe(false);
    expect(nextOpening(tokyo, new Date("2026-11-22T23:30:00Z"))).toBe("today at 09:00 (Asia/Tokyo)");
    expect(isOpenAt(tokyo, new Date("2026-11-23T00:30:00Z"))).toBe(true);
  });

  it("says when support opens next", () => {
    expect(nextOpening(weekdays9to5, new Date("2026-11-23T18:00:00Z"))).toBe(
      "tomorrow at 09:00 (Europe/London)",
    );
    expect(nextOpening(weekdays9to5, new Date("2026-11-21T10:00:00Z"))).toBe(
      "Monday at 09:00 (Europe/London)",
    );
    expect(nextOpening(weekdays9to5, new Date("2026-11-23T12:00:00Z"))).toBeNull();
    const never = {
      ...weekdays9to5,
      days: { ...weekdays9to5.days, mon: null, tue: null, wed: null, thu: null, fri: null },
    };
    expect(nextOpening(never, new Date("2026-11-23T12:00:00Z"))).toBeNull();
  });
});
