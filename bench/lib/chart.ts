/**
 * The run's chart as a plain SVG: latency percentiles against offered rate, the ceilings as bars, and below them
 * the queue stage (how long each change to the queue took to reach the waiting customers).
 */

export interface ChartInput {
  title: string;
  subtitle: string;
  steps: Array<{ rate: number; p50: number; p95: number; p99: number }>;
  saturation: { rate: number; p50: number; p95: number; p99: number } | null;
  latencyTargetMs: number;
  rateTarget: number;
  bars: Array<{ label: string; value: number; highlight?: boolean }>;
  /** A line inside the latency panel, e.g. which rates were skipped. */
  note?: string;
  barTarget: { label: string; value: number };
  footer: string[];
  /** The queue stage, drawn as a third panel under the other two. */
  queue?: QueueChartInput;
}

export interface QueueChartInput {
  customers: number;
  targetMs: number;
  /** Per change: delay percentiles (ms) and the share of customers updated within the target. */
  changes: Array<{ label: string; p50: number; p99: number; max: number; within: number }>;
  caption: string[];
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (n: number) =>
  n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n));
const colors = {
  p50: "#2b8a3e",
  p95: "#e67700",
  p99: "#c92a2a",
  max: "#495057",
  bar: "#4263eb",
  highlight: "#ae3ec9",
};

const width = 1100;
const queuePanelHeight = 330;

function drawing(out: string[]) {
  return {
    text: (x: number, y: number, s: string, attrs = "") =>
      out.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`),
    line: (x1: number, y1: number, x2: number, y2: number, attrs: string) =>
      out.push(
        `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attrs}/>`,
      ),
  };
}

function header(out: string[], height: number, title: string, subtitle: string) {
  const { text } = drawing(out);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  );
  text(24, 30, title, 'font-size="18" font-weight="600"');
  text(24, 50, subtitle, 'fill="#555"');
}

/** The queue panel: per change, p50, p99 and max of change → queue:position, against the target. */
function queuePanel(out: string[], q: QueueChartInput, top: number) {
  const { text, line } = drawing(out);
  const P = { x: 70, y: top + 30, w: width - 70 - 40, h: queuePanelHeight - 110 };
  text(
    24,
    top + 12,
    `Queue: ${q.customers.toLocaleString("en")} waiting customers; each change → every customer's new queue:position`,
    'font-weight="600"',
  );
  const maxMs = Math.max(q.targetMs * 1.25, ...q.changes.map((c) => c.max)) * 1.05;
  const yStep = maxMs > 4000 ? 1000 : maxMs > 1500 ? 250 : 100;
  const sy = (ms: number) => P.y + P.h - (Math.min(ms, maxMs) / maxMs) * P.h;
  out.push(`<rect x="${P.x}" y="${P.y}" width="${P.w}" height="${P.h}" fill="#fafafa" stroke="#ccc"/>`);
  for (let v = 0; v <= maxMs; v += yStep) {
    line(P.x, sy(v), P.x + P.w, sy(v), 'stroke="#eee"');
    text(P.x - 6, sy(v) + 4, `${v}`, 'text-anchor="end" fill="#555"');
  }
  text(
    20,
    P.y + P.h / 2,
    "ms after the change's answer",
    `transform="rotate(-90 20 ${P.y + P.h / 2})" text-anchor="middle"`,
  );
  line(P.x, sy(q.targetMs), P.x + P.w, sy(q.targetMs), 'stroke="#c92a2a" stroke-dasharray="6 4"');
  text(
    P.x + P.w - 4,
    sy(q.targetMs) - 5,
    `target: every update ≤ ${q.targetMs} ms`,
    'text-anchor="end" fill="#c92a2a"',
  );
  const slot = P.w / Math.max(q.changes.length, 1);
  q.changes.forEach((c, i) => {
    const x = P.x + slot * (i + 0.5);
    line(x, sy(c.p50), x, sy(c.max), 'stroke="#adb5bd" stroke-width="2"');
    // The maximum is a ring, so a p99 at the same height stays visible inside it.
    for (const key of ["p50", "p99"] as const)
      out.push(`<circle cx="${x.toFixed(1)}" cy="${sy(c[key]).toFixed(1)}" r="4" fill="${colors[key]}"/>`);
    out.push(
      `<circle cx="${x.toFixed(1)}" cy="${sy(c.max).toFixed(1)}" r="6" fill="none" stroke="${colors.max}" stroke-width="1.5"/>`,
    );
    text(x, P.y + P.h + 15, c.label, 'text-anchor="middle" fill="#333" font-size="11"');
    text(
      x,
      P.y + P.h + 29,
      `${(c.within * 100).toFixed(c.within === 1 ? 0 : 1)}% ≤ ${q.targetMs / 1000} s`,
      `text-anchor="middle" font-size="11" fill="${c.within === 1 ? "#2b8a3e" : "#c92a2a"}"`,
    );
  });
  (["p50", "p99", "max"] as const).forEach((key, i) => {
    const x = P.x + P.w - 200 + i * 70;
    out.push(
      key === "max"
        ? `<circle cx="${x + 6}" cy="${P.y - 12}" r="5" fill="none" stroke="${colors.max}" stroke-width="1.5"/>`
        : `<rect x="${x}" y="${P.y - 18}" width="12" height="12" fill="${colors[key]}"/>`,
    );
    text(x + 17, P.y - 8, key);
  });
  q.caption.forEach((line, i) => {
    text(P.x, P.y + P.h + 50 + i * 16, line, 'fill="#333"');
  });
}

/** BENCH_ONLY=queue: the queue panel alone. */
export function renderQueueChart(input: {
  title: string;
  subtitle: string;
  queue: QueueChartInput;
  footer: string[];
}): string {
  const height = 80 + queuePanelHeight + 20 + input.footer.length * 17;
  const out: string[] = [];
  header(out, height, input.title, input.subtitle);
  queuePanel(out, input.queue, 70);
  const { text } = drawing(out);
  input.footer.forEach((f, i) => {
    text(24, height - 12 - (input.footer.length - 1 - i) * 17, f, 'fill="#333"');
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

export function renderChart(input: ChartInput): string {
  const height = 520 + (input.queue ? queuePanelHeight + 40 : 0);
  const out: string[] = [];
  const { text, line } = drawing(out);
  header(out, height, input.title, input.subtitle);

  // Left panel: latency (log scale) against offered messages per second.
  const L = { x: 70, y: 80, w: 560, h: 330 };
  const points = [...input.steps, ...(input.saturation ? [input.saturation] : [])];
  const maxRate = Math.max(input.rateTarget * 1.1, ...points.map((p) => p.rate)) * 1.08;
  const maxLatency = Math.max(input.latencyTargetMs * 2, ...points.map((p) => p.p99));
  const topDecade = 10 ** Math.ceil(Math.log10(maxLatency));
  const yMin = 1;
  const sx = (rate: number) => L.x + (rate / maxRate) * L.w;
  const sy = (ms: number) =>
    L.y + L.h - ((Math.log10(Math.max(ms, yMin)) - Math.log10(yMin)) / Math.log10(topDecade / yMin)) * L.h;
  out.push(`<rect x="${L.x}" y="${L.y}" width="${L.w}" height="${L.h}" fill="#fafafa" stroke="#ccc"/>`);
  for (let d = yMin; d <= topDecade; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = d * m;
      if (v > topDecade) break;
      line(L.x, sy(v), L.x + L.w, sy(v), `stroke="${m === 1 ? "#ddd" : "#eee"}"`);
      text(L.x - 6, sy(v) + 4, `${v}`, 'text-anchor="end" fill="#555"');
    }
  }
  const xStep = maxRate > 3000 ? 1000 : maxRate > 1200 ? 500 : 250;
  for (let r = 0; r <= maxRate; r += xStep) {
    line(sx(r), L.y, sx(r), L.y + L.h, 'stroke="#eee"');
    text(sx(r), L.y + L.h + 16, fmt(r), 'text-anchor="middle" fill="#555"');
  }
  text(
    L.x + L.w / 2,
    L.y + L.h + 36,
    "offered messages / s (saturation: achieved durable messages / s)",
    'text-anchor="middle"',
  );
  text(
    20,
    L.y + L.h / 2,
    "send → delivery latency, ms (log)",
    `transform="rotate(-90 20 ${L.y + L.h / 2})" text-anchor="middle"`,
  );
  line(
    L.x,
    sy(input.latencyTargetMs),
    L.x + L.w,
    sy(input.latencyTargetMs),
    'stroke="#c92a2a" stroke-dasharray="6 4"',
  );
  text(
    L.x + L.w - 4,
    sy(input.latencyTargetMs) - 5,
    `target p99 ≤ ${input.latencyTargetMs} ms`,
    'text-anchor="end" fill="#c92a2a"',
  );
  line(sx(input.rateTarget), L.y, sx(input.rateTarget), L.y + L.h, 'stroke="#868e96" stroke-dasharray="3 4"');
  text(sx(input.rateTarget) + 4, L.y + 14, `${fmt(input.rateTarget)}/s target`, 'fill="#868e96"');
  for (const key of ["p50", "p95", "p99"] as const) {
    const path = input.steps.map(
      (p, i) => `${i ? "L" : "M"}${sx(p.rate).toFixed(1)},${sy(p[key]).toFixed(1)}`,
    );
    if (path.length)
      out.push(`<path d="${path.join(" ")}" fill="none" stroke="${colors[key]}" stroke-width="2"/>`);
    for (const p of input.steps)
      out.push(
        `<circle cx="${sx(p.rate).toFixed(1)}" cy="${sy(p[key]).toFixed(1)}" r="3.5" fill="${colors[key]}"/>`,
      );
    if (input.saturation) {
      const s = input.saturation;
      out.push(
        `<circle cx="${sx(s.rate).toFixed(1)}" cy="${sy(s[key]).toFixed(1)}" r="5" fill="#fff" stroke="${colors[key]}" stroke-width="2"/>`,
      );
    }
  }
  if (input.note) text(L.x + 10, L.y + 18, input.note, 'fill="#333"');
  if (input.saturation)
    text(
      sx(input.saturation.rate),
      sy(input.saturation.p99) - 10,
      "saturation",
      'text-anchor="middle" fill="#333"',
    );
  ["p50", "p95", "p99"].forEach((key, i) => {
    const x = L.x + L.w - 200 + i * 70;
    out.push(`<rect x="${x}" y="${L.y - 18}" width="12" height="12" fill="${colors[key as "p50"]}"/>`);
    text(x + 17, L.y - 8, key);
  });

  // Right panel: messages (or rows) per second, log scale, one bar each.
  const R = { x: 860, y: 80, w: 210, h: 330 };
  const maxBar = Math.max(input.barTarget.value, ...input.bars.map((b) => b.value));
  const barTop = 10 ** Math.ceil(Math.log10(maxBar));
  const barMin = Math.min(
    100,
    10 ** Math.floor(Math.log10(Math.max(10, Math.min(...input.bars.map((b) => b.value))))),
  );
  const bx = (v: number) =>
    R.x + ((Math.log10(Math.max(v, barMin)) - Math.log10(barMin)) / Math.log10(barTop / barMin)) * R.w;
  text(R.x - 190, R.y - 10, "per second on this machine (log scale)", 'font-weight="600"');
  for (let d = barMin; d <= barTop; d *= 10) {
    line(bx(d), R.y, bx(d), R.y + R.h, 'stroke="#ddd"');
    text(bx(d), R.y + R.h + 16, fmt(d), 'text-anchor="middle" fill="#555"');
  }
  const rowH = R.h / Math.max(input.bars.length, 1);
  input.bars.forEach((b, i) => {
    const y = R.y + i * rowH + rowH * 0.2;
    const h = rowH * 0.6;
    out.push(
      `<rect x="${R.x}" y="${y.toFixed(1)}" width="${Math.max(1, bx(b.value) - R.x).toFixed(1)}" height="${h.toFixed(1)}" fill="${b.highlight ? colors.highlight : colors.bar}"/>`,
    );
    text(R.x - 8, y + h / 2 + 4, b.label, 'text-anchor="end"');
    text(
      Math.min(bx(b.value) + 4, R.x + R.w - 2),
      y + h / 2 + 4,
      fmt(b.value),
      'fill="#111" font-weight="600"',
    );
  });
  line(
    bx(input.barTarget.value),
    R.y,
    bx(input.barTarget.value),
    R.y + R.h,
    'stroke="#c92a2a" stroke-dasharray="6 4"',
  );
  text(
    bx(input.barTarget.value) + 3,
    R.y + R.h + 30,
    input.barTarget.label,
    'fill="#c92a2a" text-anchor="middle"',
  );

  if (input.queue) queuePanel(out, input.queue, 470);

  input.footer.forEach((f, i) => {
    text(24, height - 60 + i * 17, f, 'fill="#333"');
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
