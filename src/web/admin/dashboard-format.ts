/** How the dashboard words its figures; pure, so the wording is the same on cards, charts and tables. */

/** A duration as people read it on a card: "45 s", "1 min 30 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  // Under ten minutes the seconds still matter (a first reply in 1 min 30 s is not "2 min").
  if (s < 600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function formatRating(rating: number | null | undefined): string {
  return rating === null || rating === undefined ? "—" : rating.toFixed(2);
}

export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? "—" : `${Math.round(ratio * 100)} %`;
}

/** What a chart's values are, for round steps on its axis: whole counts, seconds, or ratings (1–5). */
export type ChartUnit = "count" | "seconds" | "rating";

/** Steps of time people read on an axis: seconds, minutes, hours, days. */
const timeSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * About four round steps from 0 to at least `max`: whole numbers for counts, clock steps for durations (a chart
 * library's own ticks would put "1 min 40 s" on the axis, where "2 min" reads better).
 */
export function axis(max: number, unit: ChartUnit): number[] {
  if (unit === "rating") return [0, 1, 2, 3, 4, 5];
  const rough = Math.max(max, 1) / 4;
  let step: number;
  if (unit === "seconds" && rough <= 86400) {
    step = timeSteps.find((t) => t >= rough)!;
  } else {
    const power = 10 ** Math.floor(Math.log10(rough));
    step = Math.max(1, [1, 2, 5, 10].find((m) => m * power >= rough)! * power);
  }
  const steps = Math.max(1, Math.ceil(max / step));
  return Array.from({ length: steps + 1 }, (_, i) => i * step);
}

/** A bucket's first day as a short axis label: "3 Mar" (in UTC: it is a calendar date, not an instant). */
export function shortDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString([], {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** A bucket for people: "3 Mar", or "3 Mar – 9 Mar" when it spans days. */
export function bucketLabel(start: string, end: string): string {
  return start === end ? shortDay(start) : `${shortDay(start)} – ${shortDay(end)}`;
}

/** Calendar arithmetic on YYYY-MM-DD dates, without time zones getting in the way. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today in the browser's zone, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
