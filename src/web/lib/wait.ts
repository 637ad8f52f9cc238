/**
 * Waiting times as people read them: a clock that counts up for staff watching the queue, and a rough,
 * reassuring estimate for the customer who waits. Pure, so the wording can be checked without a browser.
 */

/** Whole seconds from `since` (a Date.now() value) to `now`, never negative. */
export function secondsSince(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** A running clock: "0:07", "12:34", "1:02:03". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** The same duration in words, for screen readers and tooltips: "12 minutes 34 seconds". */
export function durationWords(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (hours) parts.push(unit(hours, "hour"));
  if (minutes) parts.push(unit(minutes, "minute"));
  if (seconds || !parts.length) parts.push(unit(seconds, "second"));
  return parts.join(" ");
}

/** What is left of an estimate made `elapsed` seconds ago; an estimate is never shown as overrun. */
export function remainingWait(expectedSeconds: number | null, elapsed: number): number | null {
  return expectedSeconds === null ? null : Math.max(0, expectedSeconds - elapsed);
}

/**
 * An estimate in words: "less than a minute", "about 1 minute", "about 25 minutes", "about 2 hours". Estimates
 * are rough, so they are rounded; below a minute they stop counting down.
 */
export function approximateWait(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hours`;
}

/** The waiting customer's line: their place, and how long it may take (or that nobody can say yet). */
export function waitingSentence(position: number, remainingSeconds: number | null): string {
  const place = `You are number ${position} in line`;
  if (remainingSeconds === null) return `${place}, we will answer as soon as someone is available.`;
  return `${place}, ${approximateWait(remainingSeconds)}.`;
}

/** Short form of an estimate for a table cell: "~3 min", "< 1 min", or a dash when nobody can say. */
export function shortWait(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return "< 1 min";
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `~${minutes} min` : `~${Math.round(minutes / 60)} h`;
}
