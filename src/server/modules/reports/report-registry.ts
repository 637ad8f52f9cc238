import type { Report } from "../../../protocol/reports";
import type { Scope } from "../../lib/scope";
import { callsReport } from "./report-calls";
import { agentsReport, type LeaderboardReport, teamsReport } from "./report-leaderboards";
import type { Range } from "./report-range";
import {
  conversationsReport,
  queueWaitsReport,
  ratingsReport,
  responseTimesReport,
  runSeries,
  type SeriesReport,
  ticketsReport,
} from "./report-series";

/** Every report by the name in its address; a new report is one more entry. */
export const reports: Record<string, SeriesReport | LeaderboardReport> = {
  conversations: conversationsReport,
  tickets: ticketsReport,
  ratings: ratingsReport,
  "response-times": responseTimesReport,
  "queue-waits": queueWaitsReport,
  calls: callsReport,
  agents: agentsReport,
  teams: teamsReport,
};

export const reportNames = Object.keys(reports);

export function findReport(name: string): SeriesReport | LeaderboardReport | undefined {
  return Object.hasOwn(reports, name) ? reports[name] : undefined;
}

export async function runReport(
  scope: Scope,
  name: string,
  report: SeriesReport | LeaderboardReport,
  range: Range,
): Promise<Report> {
  const head = { name, kind: report.kind, from: range.from, to: range.to, interval: range.interval };
  if (report.kind === "series") {
    return { ...head, timezone: range.timezone, ...(await runSeries(scope, report, range)) };
  }
  return { ...head, timezone: range.timezone, columns: report.columns, rows: await report.run(scope, range) };
}
