import { describe, expect, it } from "vitest";
import { axis, formatDuration, formatPercent, formatRating } from "./dashboard-format";
import { presetRange, rangeErrors } from "./dashboard-range";

describe("dashboard wording and scales", () => {
  it("words durations as people read them", () => {
    const cases: Array<[number | null, string]> = [
      [null, "—"],
      [0, "0 s"],
      [45, "45 s"],
      [90, "1 min 30 s"],
      [120, "2 min"],
      [750, "13 min"],
      [4500, "1 h 15 min"],
      [7200, "2 h"],
      [86_400 + 4 * 3600, "1 d 4 h"],
      [604_800, "7 d"],
    ];
    for (const [seconds, words] of cases) expect(formatDuration(seconds)).toBe(words);
    expect([formatRating(4), formatRating(null), formatPercent(0.2), formatPercent(null)]).toEqual([
      "4.00",
      "—",
      "20 %",
      "—",
    ]);
  });

  it("puts round steps on the axis: whole counts, clock steps, ratings 0 to 5", () => {
    expect(axis(0, "count")).toEqual([0, 1]);
    expect(axis(3, "count")).toEqual([0, 1, 2, 3]);
    expect(axis(37, "count")).toEqual([0, 10, 20, 30, 40]);
    expect(axis(150, "seconds")).toEqual([0, 60, 120, 180]);
    expect(axis(5000, "seconds")).toEqual([0, 1800, 3600, 5400]);
    expect(axis(3.2, "rating")).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("checks a custom range by the server's rules", () => {
    expect(presetRange(7, "2025-03-10")).toEqual({ from: "2025-03-04", to: "2025-03-10", interval: "day" });
    expect(rangeErrors({ from: "2025-03-01", to: "2025-03-31", interval: "" })).toEqual({});
    expect(Object.keys(rangeErrors({ from: "", to: "2025-03-31", interval: "" }))).toEqual(["from"]);
    expect(Object.keys(rangeErrors({ from: "2025-04-01", to: "2025-03-31", interval: "" }))).toEqual([
      "from",
    ]);
    expect(Object.keys(rangeErrors({ from: "2024-01-01", to: "2025-01-01", interval: "week" }))).toEqual([
      "to",
    ]);
    expect(Object.keys(rangeErrors({ from: "2025-01-01", to: "2025-06-01", interval: "day" }))).toEqual([
      "interval",
    ]);
    expect(Object.keys(rangeErrors({ from: "2025-03-01", to: "2025-03-05", interval: "month" }))).toEqual([
      "interval",
    ]);
  });
});
