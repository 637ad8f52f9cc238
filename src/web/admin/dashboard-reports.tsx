import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import type { Report } from "../../protocol/reports";
import { api, apiUrl, errorMessage } from "../lib/api";
import { roleLabels } from "../lib/labels";
import { Alert, Card, type Column, Table } from "../ui";
import type { ChartProps } from "./charts";
import { formatDuration, formatRating } from "./dashboard-format";
import type { DateRange } from "./dashboard-range";

type Row = Report["rows"][number];

// The chart library is only for those who see reports: its own chunk, fetched when the first chart shows.
const Chart = lazy(() => import("./charts").then((m) => ({ default: m.Chart })));
const chartLoading = <div className="chart chart-loading" aria-busy="true" />;

function useReport(name: string, range: DateRange) {
  return useQuery({
    queryKey: ["/reports", name, range],
    queryFn: () => api.get<Report>(`/reports/${name}`, { ...range }),
  });
}

const count = (n: number) => String(Math.round(n));

const charts: Array<{ report: string } & Omit<ChartProps, "rows" | "testId">> = [
  {
    report: "tickets",
    title: "Ticket volume",
    description: "Tickets opened and resolved in each period.",
    kind: "bar",
    unit: "count",
    format: count,
    series: [
      { key: "created", label: "Opened", colour: "primary" },
      { key: "resolved", label: "Resolved", colour: "success" },
    ],
  },
  {
    report: "conversations",
    title: "Chat volume",
    description: "Chats started and resolved in each period.",
    kind: "bar",
    unit: "count",
    format: count,
    series: [
      { key: "started", label: "Started", colour: "warning" },
      { key: "resolved", label: "Resolved", colour: "success" },
    ],
  },
  {
    report: "calls",
    title: "Call volume",
    description: "Voice calls placed, answered and missed in each period.",
    kind: "bar",
    unit: "count",
    format: count,
    series: [
      { key: "placed", label: "Placed", colour: "primary" },
      { key: "answered", label: "Answered", colour: "success" },
      { key: "missed", label: "Missed", colour: "warning" },
    ],
  },
  {
    report: "response-times",
    title: "First response time",
    description: "Average time to the first reply for chats and tickets started in each period.",
    kind: "line",
    unit: "seconds",
    format: formatDuration,
    series: [
      { key: "chatFirstResponseAvg", label: "Chats", colour: "warning" },
      { key: "ticketFirstResponseAvg", label: "Tickets", colour: "primary" },
    ],
  },
  {
    report: "ratings",
    title: "Customer rating",
    description: "Average rating out of 5 of the chats and tickets started in each period.",
    kind: "line",
    format: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(2)),
    unit: "rating",
    series: [{ key: "avg", label: "Average rating", colour: "primary" }],
  },
];

function TrendChart({ spec, range }: { spec: (typeof charts)[number]; range: DateRange }) {
  const { report, ...props } = spec;
  const data = useReport(report, range);
  if (data.error) return <Alert tone="danger">{errorMessage(data.error)}</Alert>;
  if (!data.data) return chartLoading;
  return (
    <Suspense fallback={chartLoading}>
      <Chart {...props} rows={data.data.rows} testId={`chart-${report}`} />
    </Suspense>
  );
}

const leaderboardColumns: Column<Row & { rank: number }>[] = [
  { header: "#", cell: (r) => r.rank, nowrap: true },
  {
    header: "Name",
    cell: (r) => (
      <span className="board-person">
        <span>{r.name}</span>
        <span className="muted">
          {roleLabels[r.role as keyof typeof roleLabels] ?? r.role}
          {r.team ? ` · ${r.team}` : ""}
        </span>
      </span>
    ),
  },
  { header: "Chats handled", cell: (r) => r.chatsHandled, nowrap: true },
  { header: "Tickets resolved", cell: (r) => r.ticketsResolved, nowrap: true },
  { header: "Calls answered", cell: (r) => r.callsAnswered, nowrap: true },
  {
    header: "Avg first response",
    cell: (r) => formatDuration(r.avgFirstResponseSeconds as number | null),
    nowrap: true,
  },
  {
    header: "Avg rating",
    cell: (r) => (r.avgRating === null ? "—" : `${formatRating(r.avgRating as number)} (${r.ratings})`),
    nowrap: true,
  },
];

function Leaderboard({ range }: { range: DateRange }) {
  const agents = useReport("agents", range);
  if (agents.error) return <Alert tone="danger">{errorMessage(agents.error)}</Alert>;
  const rows = (agents.data?.rows ?? []).map((r, i): Row & { rank: number } => ({ ...r, rank: i + 1 }));
  return (
    <Table
      columns={leaderboardColumns}
      rows={rows}
      rowKey={(r) => String(r.agentId)}
      loading={agents.isPending}
      testId="leaderboard"
      rowTestId={(r) => `leaderboard-row-${r.email}`}
      caption="Agents ranked by chats handled, tickets resolved and calls answered"
    />
  );
}

const exports = [
  { name: "conversations", label: "Chats" },
  { name: "tickets", label: "Tickets" },
  { name: "ratings", label: "Ratings" },
  { name: "response-times", label: "Response times" },
  { name: "queue-waits", label: "Queue waits" },
  { name: "calls", label: "Calls" },
  { name: "agents", label: "Agents" },
  { name: "teams", label: "Teams" },
];

function CsvLinks({ range }: { range: DateRange }) {
  return (
    <ul className="dashboard-exports" data-testid="dashboard-exports">
      {exports.map((e) => (
        <li key={e.name}>
          <a
            href={apiUrl(`/reports/${e.name}`, { ...range, format: "csv" })}
            download
            data-testid={`export-${e.name}`}
          >
            {e.label} (CSV)
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Trends, the agents' leaderboard and the downloads, over the chosen range (supervisors and admins). */
export function DashboardReports({ range }: { range: DateRange }) {
  return (
    <>
      <div className="dashboard-charts">
        {charts.map((spec) => (
          <Card key={spec.report} className="dashboard-chart-card">
            <TrendChart spec={spec} range={range} />
          </Card>
        ))}
      </div>
      <Card title="Agent leaderboard">
        <Leaderboard range={range} />
      </Card>
      <Card title="Download as CSV">
        <p className="muted">The same period and interval as above, one file per report.</p>
        <CsvLinks range={range} />
      </Card>
    </>
  );
}
