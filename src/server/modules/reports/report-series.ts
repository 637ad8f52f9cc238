import { type SQL, sql } from "drizzle-orm";
import { ticketPriorities } from "../../../protocol/enums";
import type { ReportValue } from "../../../protocol/reports";
import { queryRows } from "../../db/client";
import { conversations as c, tickets as t } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { bucketsOf, type Range } from "./report-range";

/**
 * A time series: one SQL statement answering `bucket` (a bucket's first day) and the columns. Counts of a bucket
 * without data are 0; averages and percentiles are null there (no chat is not a zero-second answer).
 */
export interface SeriesReport {
  kind: "series";
  /** In order. */
  columns: string[];
  /** Those columns that are averages or percentiles (null when empty); the others count things (0 when empty). */
  averages: string[];
  query(tenantId: string, range: Range): SQL;
}

/** Chats of the kind customers start; a ticket's own thread is counted as the ticket. */
const chat = (tenantId: string) => sql`${c.tenantId} = ${tenantId} and ${c.kind} = 'support'`;
const ticket = (tenantId: string) => sql`${t.tenantId} = ${tenantId}`;
const seconds = (interval: SQL) => sql`extract(epoch from ${interval})::float8`;
const avgSeconds = (value: SQL) => sql`round(avg(${value}))::int`;
const percentile = (p: number, value: SQL) =>
  sql`round((percentile_cont(${p}::float8) within group (order by ${value}))::numeric)::int`;

export const conversationsReport: SeriesReport = {
  kind: "series",
  columns: ["started", "resolved"],
  averages: [],
  // Each event in the bucket it happened in: a chat started in March and resolved in April counts in both.
  query: (tenantId, r) => sql`
    select bucket, sum(started)::int as started, sum(resolved)::int as resolved from (
      select ${r.bucket(sql`${c.createdAt}`)} as bucket, 1 as started, 0 as resolved
        from ${c} where ${chat(tenantId)} and ${r.within(sql`${c.createdAt}`)}
      union all
      select ${r.bucket(sql`${c.resolvedAt}`)}, 0, 1
        from ${c} where ${chat(tenantId)} and ${r.within(sql`${c.resolvedAt}`)}
    ) events group by bucket`,
};

const byPriority = ticketPriorities.map((p) => `created${p[0]!.toUpperCase()}${p.slice(1)}`);

export const ticketsReport: SeriesReport = {
  kind: "series",
  columns: ["created", "resolved", ...byPriority],
  averages: [],
  // Archived tickets are history too: they count in the buckets they were created and resolved in.
  query: (tenantId, r) => sql`
    select bucket, sum(created)::int as created, sum(resolved)::int as resolved,
      ${sql.join(
        ticketPriorities.map(
          (p, i) =>
            sql`count(*) filter (where created = 1 and priority = ${p})::int as ${sql.identifier(byPriority[i]!)}`,
        ),
        sql`, `,
      )}
    from (
      select ${r.bucket(sql`${t.createdAt}`)} as bucket, 1 as created, 0 as resolved, ${t.priority} as priority
        from ${t} where ${ticket(tenantId)} and ${r.within(sql`${t.createdAt}`)}
      union all
      select ${r.bucket(sql`${t.resolvedAt}`)}, 0, 1, ${t.priority}
        from ${t} where ${ticket(tenantId)} and ${r.within(sql`${t.resolvedAt}`)}
    ) events group by bucket`,
};

/** Chats customers started and tickets, in the bucket they started in, with what the quality reports need. */
const started = (tenantId: string, r: Range) => sql`
  select ${r.bucket(sql`${c.createdAt}`)} as bucket, 'chat' as what, ${c.rating} as rating,
         ${seconds(sql`${c.firstResponseAt} - ${c.createdAt}`)} as first_response,
         ${seconds(sql`${c.resolvedAt} - ${c.createdAt}`)} as resolution
    from ${c} where ${chat(tenantId)} and ${c.queuedAt} is not null and ${r.within(sql`${c.createdAt}`)}
  union all
  select ${r.bucket(sql`${t.createdAt}`)}, 'ticket', ${t.rating},
         ${seconds(sql`${t.firstResponseAt} - ${t.createdAt}`)},
         ${seconds(sql`${t.resolvedAt} - ${t.createdAt}`)}
    from ${t} where ${ticket(tenantId)} and ${r.within(sql`${t.createdAt}`)}`;

const scores = [1, 2, 3, 4, 5].map((n) => `score${n}`);

export const ratingsReport: SeriesReport = {
  kind: "series",
  columns: ["count", "avg", ...scores],
  averages: ["avg"],
  // Ratings of the chats and tickets started in the bucket, both together.
  query: (tenantId, r) => sql`
    select bucket, count(rating)::int as count, round(avg(rating), 2)::float8 as avg,
      ${sql.join(
        scores.map((s, i) => sql`count(*) filter (where rating = ${i + 1})::int as ${sql.identifier(s)}`),
        sql`, `,
      )}
    from (${started(tenantId, r)}) started group by bucket`,
};

const timings = ["chat", "ticket"].flatMap((what) =>
  ["FirstResponse", "Resolution"].flatMap((m) => [`${what}${m}Avg`, `${what}${m}Median`]),
);

export const responseTimesReport: SeriesReport = {
  kind: "series",
  columns: timings,
  averages: timings,
  // In seconds, over the chats and tickets started in the bucket that have been answered (resolved) so far.
  query: (tenantId, r) => sql`
    select bucket,
      ${sql.join(
        timings.map((name) => {
          const what = name.startsWith("chat") ? "chat" : "ticket";
          const value = sql.raw(name.includes("FirstResponse") ? "first_response" : "resolution");
          const only = sql`case when what = ${what} then ${value} end`;
          const figure = name.endsWith("Avg") ? avgSeconds(only) : percentile(0.5, only);
          return sql`${figure} as ${sql.identifier(name)}`;
        }),
        sql`, `,
      )}
    from (${started(tenantId, r)}) started group by bucket`,
};

export const queueWaitsReport: SeriesReport = {
  kind: "series",
  columns: ["queued", "assigned", "avgWaitSeconds", "p90WaitSeconds"],
  averages: ["avgWaitSeconds", "p90WaitSeconds"],
  // A chat's wait is from its (latest) entry into the queue to the assignment that followed, in the bucket it
  // entered the queue in; chats still waiting count as queued only.
  query: (tenantId, r) => sql`
    select bucket, count(*)::int as queued, count(wait)::int as assigned,
           ${avgSeconds(sql`wait`)} as "avgWaitSeconds", ${percentile(0.9, sql`wait`)} as "p90WaitSeconds"
    from (
      select ${r.bucket(sql`${c.queuedAt}`)} as bucket,
             case when ${c.assignedAt} >= ${c.queuedAt}
                  then ${seconds(sql`${c.assignedAt} - ${c.queuedAt}`)} end as wait
        from ${c} where ${chat(tenantId)} and ${r.within(sql`${c.queuedAt}`)}
    ) waits group by bucket`,
};

/** The report's rows: every bucket of the range, in order, filled in from what the statement found. */
export async function runSeries(scope: Scope, report: SeriesReport, range: Range) {
  const found = await queryRows<Record<string, ReportValue>>(scope.tx, report.query(scope.tenantId!, range));
  const byBucket = new Map(found.map((row) => [String(row.bucket), row]));
  const rows = bucketsOf(range).map(({ start, end }) => {
    const row = byBucket.get(start);
    const out: Record<string, ReportValue> = { start, end };
    for (const col of report.columns) {
      const value = row?.[col];
      out[col] = value == null ? (report.averages.includes(col) ? null : 0) : Number(value);
    }
    return out;
  });
  return { columns: ["start", "end", ...report.columns], rows };
}
