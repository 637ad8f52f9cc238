/**
 * Progress for long scripts: a bar redrawn in place on a terminal, a plain line per step otherwise (logs, CI).
 * Rates and the time left come from the rows written so far.
 */

const fmt = (n: number) => Math.round(n).toLocaleString("en");

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export interface Progress {
  /** Rows written, and the headline counts they include. */
  add(rows: number, counts?: Record<string, number>): void;
  /** A line of its own (a finished step); on a terminal the bar is drawn again below it. */
  line(text: string): void;
  /** The overall state in words: percent, rate, time left. */
  summary(): string;
  finish(): void;
}

export function progress(totalRows: number, stream: NodeJS.WriteStream = process.stdout): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  const counts: Record<string, number> = {};
  let rows = 0;
  let drawn = 0;

  const state = () => {
    const elapsed = performance.now() - started;
    const rate = rows / Math.max(elapsed / 1000, 0.001);
    const left = rate > 0 ? ((totalRows - rows) / rate) * 1000 : Number.NaN;
    const share = totalRows ? Math.min(1, rows / totalRows) : 1;
    return { elapsed, rate, left, share };
  };
  const summary = () => {
    const { elapsed, rate, left, share } = state();
    const shown = Object.entries(counts).map(([k, v]) => `${fmt(v)} ${k}`);
    const eta = Number.isFinite(left) && rows < totalRows ? `, ETA ${duration(left)}` : "";
    return `${(share * 100).toFixed(1)}% (${shown.join(", ")}), ${fmt(rate)} rows/s, ${duration(elapsed)} so far${eta}`;
  };
  const draw = (force = false) => {
    if (!tty) return;
    const now = performance.now();
    if (!force && now - drawn < 200) return;
    drawn = now;
    const width = 24;
    const filled = Math.round(state().share * width);
    stream.write(`\r\x1b[K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${summary()}`);
  };

  return {
    add(n, more = {}) {
      rows += n;
      for (const [k, v] of Object.entries(more)) counts[k] = (counts[k] ?? 0) + v;
      draw();
    },
    line(text) {
      stream.write(tty ? `\r\x1b[K${text}\n` : `${text}\n`);
      draw(true);
    },
    summary,
    finish() {
      if (tty) stream.write(`\r\x1b[K`);
    },
  };
}
