import { eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import {
  daysBetween,
  defaultInterval,
  intervalProblem,
  maxReportDays,
  type ReportInterval,
  reportIntervals,
} from "../../../protocol/reports";
import { resolveSettings } from "../../../protocol/settings";
import { tenants } from "../../db/schema";
import { invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";

export const reportQuery = z.strictObject({
  from: z.iso.date().optional().describe("first day (YYYY-MM-DD), included; default: 29 days before `to`"),
  to: z.iso.date().optional().describe("last day (YYYY-MM-DD), included; default: today"),
  interval: z.enum(reportIntervals).optional().describe("default: day up to 92 days, else week"),
  format: z.enum(["json", "csv"]).default("json"),
});
export type ReportQuery = z.infer<typeof reportQuery>;

/** A checked range of calendar days in the tenant's zone, and the SQL that buckets times into it. */
export interface Range {
  from: string;
  to: string;
  interval: ReportInterval;
  timezone: string;
  /** The range's first instant (from's midnight in the zone). */
  start: SQL;
  /** Just after the range (the midnight after `to`). */
  end: SQL;
  /** `column` falls within the range. */
  within(column: SQL): SQL;
  /** The first day (YYYY-MM-DD) of the bucket `column` falls in; the first bucket starts at `from`. */
  bucket(column: SQL): SQL;
}

/** Today's date in a zone, as YYYY-MM-DD (the en-CA format is ISO's). */
export function today(timezone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The tenant's reporting zone: its business hours' zone when it has business hours, else UTC. */
export async function reportZone(scope: Scope): Promise<string> {
  const [tenant] = await scope.tx
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, scope.tenantId!));
  return resolveSettings(tenant?.settings).businessHours?.timezone ?? "UTC";
}

/** Checks the query against the rules the dashboard also follows (protocol/reports.ts); 400 names the field. */
export function checkRange(q: Omit<ReportQuery, "format">, timezone: string): Range {
  const to = q.to ?? today(timezone);
  const from = q.from ?? addDays(to, -29);
  if (from > to) throw invalid({ from: "must be on or before to" });
  const days = daysBetween(from, to);
  if (days > maxReportDays) throw invalid({ to: `a range spans at most ${maxReportDays} days` });
  const interval = q.interval ?? defaultInterval(days);
  const problem = intervalProblem(interval, days);
  if (problem) throw invalid({ interval: problem });
  const start = sql`(${from}::date::timestamp at time zone ${timezone})`;
  const end = sql`((${to}::date + 1)::timestamp at time zone ${timezone})`;
  return {
    from,
    to,
    interval,
    timezone,
    start,
    end,
    within: (column) => sql`(${column} >= ${start} and ${column} < ${end})`,
    bucket: (column) =>
      sql`greatest(date_trunc(${interval}, ${column} at time zone ${timezone})::date, ${from}::date)::text`,
  };
}

/** Every bucket of the range in order, with its first and last day (weeks start on Monday, as ISO's do). */
export function bucketsOf(
  range: Pick<Range, "from" | "to" | "interval">,
): Array<{ start: string; end: string }> {
  const out: Array<{ start: string; end: string }> = [];
  let start = range.from;
  while (start <= range.to) {
    const next = nextBoundary(start, range.interval);
    out.push({ start, end: next > range.to ? range.to : addDays(next, -1) });
    start = next;
  }
  return out;
}

function nextBoundary(date: string, interval: ReportInterval): string {
  if (interval === "day") return addDays(date, 1);
  if (interval === "week") {
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    return addDays(date, 7 - weekday);
  }
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}
