import { sql } from "drizzle-orm";
import type { CallsReportColumn } from "../../../protocol/reports";
import { queryRows } from "../../db/client";
import { calls } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import type { Range } from "./report-range";
import type { SeriesReport } from "./report-series";

const ofTenant = (tenantId: string) => sql`${calls.tenantId} = ${tenantId}`;

export const callsReport: SeriesReport = {
  kind: "series",
  columns: [
    "placed",
    "answered",
    "missed",
    "abandoned",
    "avgWaitSeconds",
    "avgDurationSeconds",
    "avgQuality",
    "poorQuality",
  ] satisfies CallsReportColumn[],
  averages: ["avgWaitSeconds", "avgDurationSeconds", "avgQuality"] satisfies CallsReportColumn[],
  // Every call in the bucket it was placed in (created, which reads through the tenant's creation-time index),
  // whatever became of it later; the wait is from being queued to being answered, over the calls answered so far
  // (one still going on, or lost after its answer, included).
  query: (tenantId, r) => sql`
    select ${r.bucket(sql`${calls.createdAt}`)} as bucket,
           count(*)::int as placed,
           count(*) filter (where ${calls.status} = 'completed')::int as answered,
           count(*) filter (where ${calls.status} = 'missed')::int as missed,
           count(*) filter (where ${calls.status} = 'abandoned')::int as abandoned,
           round(avg(extract(epoch from ${calls.answeredAt} - ${calls.queuedAt})))::int as "avgWaitSeconds",
           round(avg(${calls.durationSeconds}))::int as "avgDurationSeconds",
           round(avg(${calls.quality})::numeric, 2)::float8 as "avgQuality",
           count(*) filter (where ${calls.poorQuality})::int as "poorQuality"
      from ${calls}
     where ${ofTenant(tenantId)} and ${r.within(sql`${calls.createdAt}`)}
     group by 1`,
};

/** One person's answered calls in a range, as sums, so that teams can add people up before dividing. */
export interface CallWork {
  calls: number;
  durationSum: number;
  durations: number;
  qualitySum: number;
  qualities: number;
}
export const noCallWork: CallWork = { calls: 0, durationSum: 0, durations: 0, qualitySum: 0, qualities: 0 };

/** Calls placed in the range that were answered and ended well (completed), by the agent who answered them. */
export async function callWorkByPerson(scope: Scope, r: Range): Promise<Map<string, CallWork>> {
  const rows = await queryRows<{ id: string } & Record<keyof CallWork, number>>(
    scope.tx,
    sql`
    select ${calls.agentId} as id, count(*)::int as calls,
           coalesce(sum(${calls.durationSeconds}), 0)::float8 as "durationSum",
           count(${calls.durationSeconds})::int as durations,
           coalesce(sum(${calls.quality}), 0)::float8 as "qualitySum", count(${calls.quality})::int as qualities
      from ${calls}
     where ${ofTenant(scope.tenantId!)} and ${calls.status} = 'completed' and ${calls.agentId} is not null
       and ${r.within(sql`${calls.createdAt}`)}
     group by ${calls.agentId}`,
  );
  return new Map(
    rows.map(({ id, ...w }) => [
      id,
      {
        calls: Number(w.calls),
        durationSum: Number(w.durationSum),
        durations: Number(w.durations),
        qualitySum: Number(w.qualitySum),
        qualities: Number(w.qualities),
      },
    ]),
  );
}

export const addCallWork = (a: CallWork, b: CallWork): CallWork => ({
  calls: a.calls + b.calls,
  durationSum: a.durationSum + b.durationSum,
  durations: a.durations + b.durations,
  qualitySum: a.qualitySum + b.qualitySum,
  qualities: a.qualities + b.qualities,
});

export const callFigureColumns = ["callsAnswered", "avgCallDurationSeconds", "avgCallQuality"];

export function callFigures(w: CallWork) {
  return {
    callsAnswered: w.calls,
    avgCallDurationSeconds: w.durations ? Math.round(w.durationSum / w.durations) : null,
    avgCallQuality: w.qualities ? Math.round((w.qualitySum / w.qualities) * 100) / 100 : null,
  };
}
