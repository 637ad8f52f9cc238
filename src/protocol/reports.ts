import { z } from "zod";
import { ticketStatuses } from "./enums";

/**
 * Live statistics and reports, shared by the server (which validates and documents them) and the dashboard.
 * How each figure is counted is written next to it; the README's API section says the same in prose.
 */

/** The averages of GET /stats cover chats and tickets started in this many days up to now. */
export const statsWindowDays = 30;

export const statsSchema = z.object({
  /** Support chats someone holds: open, pending (waiting on the customer) or escalated. */
  openConversations: z.number().int(),
  /** Support chats waiting in the queue. */
  queuedChats: z.number().int(),
  /** Voice calls waiting for someone to answer: queued or ringing. */
  queuedCalls: z.number().int(),
  /** Voice calls answered and going on now. */
  activeCalls: z.number().int(),
  /** Tickets with status `open` (archived ones never count). */
  openTickets: z.number().int(),
  /** Tickets with status `in_progress`. */
  inProgressTickets: z.number().int(),
  /** Urgent tickets not yet resolved or closed. */
  urgentTickets: z.number().int(),
  /** High-priority tickets not yet resolved or closed. */
  highTickets: z.number().int(),
  /** Every status, archived tickets left out. */
  ticketsByStatus: z.object(
    Object.fromEntries(ticketStatuses.map((s) => [s, z.number().int()])) as Record<
      (typeof ticketStatuses)[number],
      z.ZodNumber
    >,
  ),
  /**
   * From start to staff's first public reply, over chats customers started and tickets opened in the window
   * (those answered so far), in seconds; null when there is none.
   */
  avgFirstResponseSeconds: z.number().int().nullable(),
  /** From start to resolution, over chats and tickets started in the window and resolved so far. */
  avgResolutionSeconds: z.number().int().nullable(),
  /** Ratings (1–5) of chats and tickets started in the window, together; two decimals. */
  avgRating: z.number().nullable(),
  ratingsCount: z.number().int(),
  /** Entries of the audit trail about tickets and chats in the last 24 hours and 7 days. */
  activity24h: z.number().int(),
  activity7d: z.number().int(),
  /** Agents and team leads online: the people chats are routed to. */
  staffOnline: z.number().int(),
  /** Their open chats divided by the chats they may hold together (0–1, three decimals); null when none online. */
  staffUtilisation: z.number().nullable(),
  windowDays: z.number().int(),
  generatedAt: z.string(),
});
export type Stats = z.infer<typeof statsSchema>;

export const reportIntervals = ["day", "week", "month"] as const;
export type ReportInterval = (typeof reportIntervals)[number];

/** The longest range a report covers, in days (both ends included). */
export const maxReportDays = 366;
/** Daily buckets up to this many days; longer ranges go by week or month. */
export const maxDailyDays = 92;

/** Days from `from` to `to`, both included (plain calendar dates, YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Why an interval does not fit a range, or null when it does: a day at a time up to 92 days (a chart of more
 * points than that is unreadable), a week needs at least 7 days and a month at least 28.
 */
export function intervalProblem(interval: ReportInterval, days: number): string | null {
  if (interval === "day" && days > maxDailyDays)
    return `a range over ${maxDailyDays} days goes by week or month`;
  if (interval === "week" && days < 7) return "a range under 7 days goes by day";
  if (interval === "month" && days < 28) return "a range under 28 days goes by day or week";
  return null;
}

/** The interval a range gets when none is asked for. */
export function defaultInterval(days: number): ReportInterval {
  return days > maxDailyDays ? "week" : "day";
}

export type ReportValue = string | number | null;

/**
 * The `calls` report's figures per bucket, over the calls placed in it: `placed`, `answered` (ended well:
 * completed), `missed`, `abandoned`, `avgWaitSeconds` from queued to answered (every call answered so far),
 * `avgDurationSeconds`, `avgQuality` (1–5, two decimals; averages are null in an empty bucket) and `poorQuality`
 * (how many were marked as sounding poor). The `agents` and `teams` leaderboards add `callsAnswered` (calls placed
 * in the range that the person answered and that completed), `avgCallDurationSeconds` and `avgCallQuality`.
 */
export type CallsReportColumn =
  | "placed"
  | "answered"
  | "missed"
  | "abandoned"
  | "avgWaitSeconds"
  | "avgDurationSeconds"
  | "avgQuality"
  | "poorQuality";

export interface Report {
  name: string;
  /** `series`: one row per bucket (start and end dates, both included); `leaderboard`: one row per agent or team. */
  kind: "series" | "leaderboard";
  from: string;
  to: string;
  interval: ReportInterval;
  /** Buckets and ranges are calendar days in this zone: the business hours' zone, else UTC. */
  timezone: string;
  /** Every row's fields, in order (the CSV's header row). */
  columns: string[];
  rows: Array<Record<string, ReportValue>>;
}
