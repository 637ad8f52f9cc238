import type { CSSProperties } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { ReportValue } from "../../protocol/reports";
import { axis, bucketLabel, type ChartUnit, shortDay } from "./dashboard-format";

export interface ChartSeries {
  key: string;
  label: string;
  /** A colour of theme.css, so the series follows the light and the dark theme. */
  colour: "primary" | "success" | "warning";
}

export interface ChartProps {
  title: string;
  /** What the chart shows, in a sentence, for screen readers (the data table below has the figures). */
  description: string;
  rows: ReadonlyArray<Record<string, ReportValue>>;
  series: ChartSeries[];
  kind: "bar" | "line";
  format: (value: number) => string;
  unit: ChartUnit;
  testId: string;
}

const value = (row: Record<string, ReportValue>, key: string) => {
  const v = row[key];
  return typeof v === "number" ? v : null;
};

const colour = (s: ChartSeries) => `var(--${s.colour})`;

// The library writes these as SVG attributes and inline styles: theme variables keep them right in both themes.
const tick = { fill: "var(--text-muted)", fontSize: 11 };
const tooltipStyle: CSSProperties = {
  backgroundColor: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: "var(--radius-sm)",
  boxShadow: "var(--shadow-lg)",
  color: "var(--text)",
  fontSize: "0.85rem",
};
const legendStyle: CSSProperties = { fontSize: "0.85rem", paddingTop: "0.25rem" };

/** A trend over the report's buckets: bars for counts, lines for averages (gaps where a bucket has none). */
export function Chart({ title, description, rows, series, kind, format, unit, testId }: ChartProps) {
  const data = rows.map((r) => ({
    day: shortDay(String(r.start)),
    period: bucketLabel(String(r.start), String(r.end)),
    ...Object.fromEntries(series.map((s) => [s.key, value(r, s.key)])),
  }));
  const ticks = axis(Math.max(0, ...rows.flatMap((r) => series.map((s) => value(r, s.key) ?? 0))), unit);
  const Frame = kind === "bar" ? BarChart : LineChart;

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <Frame
        data={data}
        responsive
        className="chart-plot"
        title={title}
        desc={description}
        margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
        maxBarSize={32}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="day" tick={tick} stroke="var(--border)" tickLine={false} minTickGap={16} />
        <YAxis
          domain={[0, ticks.at(-1)!]}
          ticks={ticks}
          tickFormatter={format}
          tick={tick}
          stroke="var(--border)"
          tickLine={false}
          width="auto"
        />
        <Tooltip
          formatter={(v) => (typeof v === "number" ? format(v) : "—")}
          labelFormatter={(label, payload) => payload[0]?.payload?.period ?? label}
          contentStyle={tooltipStyle}
          cursor={kind === "bar" ? { fill: "var(--surface-2)" } : { stroke: "var(--border)" }}
        />
        <Legend
          iconSize={10}
          wrapperStyle={legendStyle}
          // In the series' own order (the library sorts by name unless told).
          itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)}
        />
        {series.map((s) =>
          kind === "bar" ? (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              fill={colour(s)}
              className={`chart-series-${s.key}`}
            />
          ) : (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stroke={colour(s)}
              strokeWidth={2.5}
              className={`chart-series-${s.key}`}
              // The dots are drawn in a layer of their own, outside the line's group: they carry the class too.
              dot={{
                r: 3.5,
                fill: colour(s),
                stroke: "var(--surface)",
                strokeWidth: 1.5,
                className: `chart-series-${s.key}`,
              }}
            />
          ),
        )}
      </Frame>
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
                  return (
                    <td key={s.key} data-testid={`${testId}-${s.key}`}>
                      {v === null ? "—" : format(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
