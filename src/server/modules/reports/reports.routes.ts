import { z } from "zod";
import { reportIntervals, statsSchema } from "../../../protocol/reports";
import { errorSchema } from "../../../protocol/schemas";
import { scoped } from "../../lib/deps";
import { notFound } from "../../lib/errors";
import type { App } from "../../lib/http";
import { toCsv } from "./csv";
import { checkRange, reportQuery, reportZone } from "./report-range";
import { findReport, reportNames, runReport } from "./report-registry";
import { readStats } from "./stats";

const tags = ["reports"];

const reportSchema = z.object({
  name: z.string(),
  kind: z.enum(["series", "leaderboard"]),
  from: z.string(),
  to: z.string(),
  interval: z.enum(reportIntervals),
  timezone: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});

export function reportRoutes(app: App) {
  app.get(
    "/stats",
    {
      config: { access: "stats.view" },
      schema: {
        tags,
        summary: "Live figures: chats, queues, tickets, 30-day averages, activity and staff load",
        querystring: z.strictObject({}),
        response: { 200: statsSchema },
      },
    },
    async (req) => scoped(req, readStats),
  );

  app.get(
    "/reports/:name",
    {
      config: { access: "reports.view" },
      schema: {
        tags,
        summary: `A report over a range of days: ${reportNames.join(", ")}; ?format=csv downloads it`,
        params: z.strictObject({ name: z.string().max(40) }),
        querystring: reportQuery,
        response: {
          200: z.union([reportSchema, z.string()]),
          400: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const { name } = req.params;
      const report = findReport(name);
      if (!report) throw notFound("report");
      const { format, ...query } = req.query;
      const result = await scoped(req, async (scope) =>
        runReport(scope, name, report, checkRange(query, await reportZone(scope))),
      );
      if (format === "json") return reply.send(result);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}-${result.from}-${result.to}.csv"`)
        .send(toCsv(result.columns, result.rows));
    },
  );
}
