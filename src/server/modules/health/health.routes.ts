import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { Database } from "../../db/client";

export const metrics = new Registry();
collectDefaultMetrics({ register: metrics });
const requests = new Counter({
  name: "switchboard_http_requests_total",
  help: "HTTP requests by method, route and status",
  labelNames: ["method", "route", "status"],
  registers: [metrics],
});
const durations = new Histogram({
  name: "switchboard_http_request_seconds",
  help: "HTTP request duration",
  labelNames: ["method", "route"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metrics],
});

/** Liveness, readiness (the database answers) and Prometheus metrics, outside the API's auth. */
export function healthRoutes(app: FastifyInstance, database: Database) {
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    requests.inc({ method: req.method, route, status: reply.statusCode });
    durations.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      await database.db.execute(sql`select 1`);
      return { status: "ready", database: database.kind };
    } catch {
      return reply.status(503).send({ status: "unavailable", database: database.kind });
    }
  });
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
}
