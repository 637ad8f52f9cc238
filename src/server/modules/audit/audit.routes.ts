import { and, desc, eq, gte, isNull, lt, lte } from "drizzle-orm";
import { z } from "zod";
import { activitySchema, pageOf } from "../../../protocol/schemas";
import { activity } from "../../db/schema";
import { platformScoped, scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { decodeCursor, pageQuery, toPage } from "../../lib/pagination";
import { verifyChain } from "./verify-chain";

const listQuery = z.strictObject({
  ...pageQuery,
  action: z.string().max(80).optional().describe("exact action, or a prefix ending in '.' such as 'staff.'"),
  actorId: z.uuid().optional(),
  subjectType: z.string().max(40).optional(),
  subjectId: z.string().max(80).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const verifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstTampered: z
    .object({
      id: z.string(),
      seq: z.number().int(),
      createdAt: z.string(),
      reason: z.enum(["altered", "broken_link"]),
    })
    .nullable(),
});

export function presentActivity(row: typeof activity.$inferSelect) {
  return {
    id: row.id,
    seq: row.seq,
    actor: { id: row.actorId, name: row.actorName, type: row.actorType },
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    oldValue: row.oldValue,
    newValue: row.newValue,
    ip: row.ip,
    userAgent: row.userAgent,
    metadata: row.metadata,
    createdAt: row.createdAt.toISOString(),
    hash: row.hash,
    prevHash: row.prevHash,
  };
}

/** The tenant's trail at /audit-log; the platform's own (tenants created and renamed) at /platform/audit-log. */
export function auditRoutes(app: App) {
  for (const trail of [
    { path: "/audit-log", access: "audit.view", run: scoped, what: "The tenant's" },
    { path: "/platform/audit-log", access: "platform.audit", run: platformScoped, what: "The platform's" },
  ] as const) {
    registerTrail(app, trail);
  }
}

function registerTrail(
  app: App,
  trail: { path: string; access: "audit.view" | "platform.audit"; run: typeof scoped; what: string },
) {
  app.get(
    trail.path,
    {
      config: { access: trail.access },
      schema: {
        tags: ["audit"],
        summary: `${trail.what} audit trail, newest first`,
        querystring: listQuery,
        response: { 200: pageOf(activitySchema) },
      },
    },
    async (req) => {
      const q = req.query;
      const cursor = decodeCursor(q.cursor, "number");
      const rows = await trail.run(req, ({ tx, tenantId }) =>
        tx
          .select()
          .from(activity)
          .where(
            and(
              tenantId ? eq(activity.tenantId, tenantId) : isNull(activity.tenantId),
              q.action?.endsWith(".")
                ? gte(activity.action, q.action)
                : q.action
                  ? eq(activity.action, q.action)
                  : undefined,
              q.action?.endsWith(".") ? lt(activity.action, `${q.action.slice(0, -1)}/`) : undefined,
              q.actorId ? eq(activity.actorId, q.actorId) : undefined,
              q.subjectType ? eq(activity.subjectType, q.subjectType) : undefined,
              q.subjectId ? eq(activity.subjectId, q.subjectId) : undefined,
              q.from ? gte(activity.createdAt, new Date(q.from)) : undefined,
              q.to ? lte(activity.createdAt, new Date(q.to)) : undefined,
              cursor ? lt(activity.seq, Number(cursor.k)) : undefined,
            ),
          )
          .orderBy(desc(activity.seq))
          .limit(q.limit + 1),
      );
      return toPage(rows, q.limit, presentActivity, (r) => ({ k: r.seq, id: r.id }));
    },
  );

  app.get(
    `${trail.path}/verify`,
    {
      config: { access: trail.access },
      schema: {
        tags: ["audit"],
        summary: "Check the hash chain; names the first tampered entry",
        response: { 200: verifySchema },
      },
    },
    async (req) => trail.run(req, ({ tx, tenantId }) => verifyChain(tx, tenantId)),
  );
}
