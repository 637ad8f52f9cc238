import { useId } from "react";
import type { ReportValue } from "../../protocol/reports";
import { bucketLabel, shortDay } from "./dashboard-format";

export interface ChartSeries {
  key: string;
  label: string;
  /** Colour 1–4 (dashboard.css), each readable on both themes. */
  tone: 1 | 2 | 3 | 4;
}

export interface ChartProps {
  title: string;
  /** What the chart shows, in a sentence, for screen readers (the data table below has the figures). */
  description: string;
  rows: ReadonlyArray<Record<string, ReportValue>>;
  series: ChartSeries[];
  kind: "bar" | "line";
  format: (value: number) => string;
  /** What the values are, for round steps on the axis: whole counts, seconds, or ratings (1–5). */
  unit: "count" | "seconds" | "rating";
  testId: string;
}

const width = 640;
const height = 220;
const pad = { top: 12, right: 12, bottom: 28, left: 64 };
const plotW = width - pad.left - pad.right;
const plotH = height - pad.top - pad.bottom;

/** Steps of time people read on an axis: seconds, minutes, hours, days. */
const timeSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** About four round steps from 0 to at least `max`: whole numbers for counts, clock steps for durations. */
export function axis(max: number, unit: ChartProps["unit"]): number[] {
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

const value = (row: Record<string, ReportValue>, key: string) => {
  const v = row[key];
  return typeof v === "number" ? v : null;
};

/** A trend over the report's buckets, drawn by us as SVG: bars for counts, lines for averages (gaps where none). */
export function Chart({ title, description, rows, series, kind, format, unit, testId }: ChartProps) {
  const id = useId();
  const values = rows.flatMap((r) => series.map((s) => value(r, s.key) ?? 0));
  const ticks = axis(Math.max(0, ...values), unit);
  const top = ticks.at(-1)!;
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, rows.length);
  const x = (i: number) => pad.left + slot * i + slot / 2;
  // At most about eight dates under the axis, evenly spread.
  const every = Math.max(1, Math.ceil(rows.length / 8));
  const barW = (slot * 0.75) / series.length;

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <ul className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key} className={`chart-tone-${s.tone}`}>
            <span className="chart-swatch" />
            {s.label}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="chart-svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick} className="chart-grid">
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} />
            <text x={pad.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
              {format(tick)}
            </text>
          </g>
        ))}
        {rows.map((r, i) =>
          i % every === 0 ? (
            <text key={String(r.start)} className="chart-axis" x={x(i)} y={height - 8} textAnchor="middle">
              {shortDay(String(r.start))}
            </text>
          ) : null,
        )}
        {series.map((s, si) => (
          <g key={s.key} className={`chart-tone-${s.tone}`} data-testid={`${testId}-${s.key}`}>
            {kind === "bar"
              ? rows.map((r, i) => {
                  const v = value(r, s.key) ?? 0;
                  return (
                    <rect
                      key={String(r.start)}
                      className="chart-bar"
                      data-value={v}
                      x={x(i) - (barW * series.length) / 2 + barW * si}
                      y={y(v)}
                      width={Math.max(1, barW - 1)}
                      height={pad.top + plotH - y(v)}
                    >
                      <title>{`${s.label}, ${bucketLabel(String(r.start), String(r.end))}: ${format(v)}`}</title>
                    </rect>
                  );
                })
              : line(rows, s, x, y, format)}
          </g>
        ))}
      </svg>
      <details className="chart-data">
        <summary>Figures</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Period</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.start)}>
                <th scope="row">{bucketLabel(String(r.start), String(r.end))}</th>
                {series.map((s) => {
                  const v = value(r, s.key);
                  return <td key={s.key}>{v === null ? "—" : format(v)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A line through the buckets that have a value, broken where one has none, with a dot (and tooltip) on each. */
function line(
  rows: ChartProps["rows"],
  s: ChartSeries,
  x: (i: number) => number,
  y: (v: number) => number,
  format: (v: number) => string,
) {
  const runs: string[][] = [[]];
  rows.forEach((r, i) => {
    const v = value(r, s.key);
    if (v === null) runs.push([]);
    else runs.at(-1)!.push(`${x(i)},${y(v)}`);
  });
  return (
    <>
      {runs
        .filter((points) => points.length > 1)
        .map((points) => (
          <polyline key={points[0]} className="chart-line" points={points.join(" ")} />
        ))}
      {rows.map((r, i) => {
        const v = value(r, s.key);
        if (v === null) return null;
        return (
          <circle key={String(r.start)} className="chart-dot" cx={x(i)} cy={y(v)} r={3.5} data-value={v}>
            <title>{`${s.label}, ${bucketLabel(String(r.start), String(r.end))}: ${format(v)}`}</title>
          </circle>
        );
      })}
    </>
  );
}
