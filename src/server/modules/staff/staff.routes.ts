import { and, asc, eq, gt, ilike, ne, or } from "drizzle-orm";
import { z } from "zod";
import { errorSchema, pageOf, staffSchema } from "../../../protocol/schemas";
import { users } from "../../db/schema";
import { callerOf, scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { decodeCursor, toPage } from "../../lib/pagination";
import type { Scope } from "../../lib/scope";
import { activeCallCounts } from "../calls/call-row";
import { openChatCounts } from "../routing/routing";
import { tenantSettings } from "../settings/tenant-settings";
import { createStaff, deactivateStaff, updateStaff } from "./staff.commands";
import { createStaffBody, listStaffQuery, staffIdParams, updateStaffBody } from "./staff.schema";
import { presentStaff } from "./user.presenter";

export function staffRoutes(app: App) {
  /** Each person's load: ongoing chats and active voice calls. */
  const present = async (scope: Scope, rows: Array<typeof users.$inferSelect>) => {
    const ids = rows.map((r) => r.id);
    const chats = await openChatCounts(scope, ids);
    const calls = await activeCallCounts(scope, ids);
    return rows.map((r) =>
      presentStaff(r, { activeChats: chats.get(r.id) ?? 0, activeCalls: calls.get(r.id) ?? 0 }),
    );
  };

  // The staff board for team leads and above; the same list for agents choosing whom to hand a chat to.
  for (const list of [
    { path: "/staff", access: "staff.view", summary: "Staff of the tenant with load" },
    {
      path: "/staff/colleagues",
      access: "chats.transfer",
      summary: "Colleagues with their load, to transfer a chat to",
    },
  ] as const) {
    app.get(
      list.path,
      {
        config: { access: list.access },
        schema: {
          tags: ["staff"],
          summary: list.summary,
          querystring: listStaffQuery,
          response: { 200: pageOf(staffSchema) },
        },
      },
      async (req) => {
        const q = req.query;
        const cursor = decodeCursor(q.cursor, "string");
        return scoped(req, async (scope) => {
          const rows = await scope.tx
            .select()
            .from(users)
            .where(
              and(
                ne(users.role, "customer"),
                eq(users.status, q.status),
                q.role ? eq(users.role, q.role) : undefined,
                q.availability ? eq(users.availability, q.availability) : undefined,
                q.teamId ? eq(users.teamId, q.teamId) : undefined,
                q.q
                  ? or(ilike(users.name, `%${escapeLike(q.q)}%`), ilike(users.email, `%${escapeLike(q.q)}%`))
                  : undefined,
                cursor
                  ? or(
                      gt(users.name, String(cursor.k)),
                      and(eq(users.name, String(cursor.k)), gt(users.id, cursor.id)),
                    )
                  : undefined,
              ),
            )
            .orderBy(asc(users.name), asc(users.id))
            .limit(q.limit + 1);
          const page = toPage(
            rows,
            q.limit,
            (r) => r,
            (r) => ({ k: r.name, id: r.id }),
          );
          return { items: await present(scope, page.items), nextCursor: page.nextCursor };
        });
      },
    );
  }

  app.post(
    "/staff",
    {
      config: { access: "staff.create" },
      schema: {
        tags: ["staff"],
        summary: "Add a staff member",
        body: createStaffBody,
        response: { 201: staffSchema.extend({ temporaryPassword: z.string().optional() }), 409: errorSchema },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const result = await scoped(req, async (scope) => {
        const settings = await tenantSettings(scope);
        const created = await createStaff(scope, caller.user.role, req.body, {
          maxChats: settings.defaultMaxChats,
          maxCalls: settings.defaultMaxCalls,
        });
        const [staff] = await present(scope, [created.row]);
        return {
          ...staff!,
          ...(created.temporaryPassword ? { temporaryPassword: created.temporaryPassword } : {}),
        };
      });
      return reply.status(201).send(result);
    },
  );

  app.patch(
    "/staff/:id",
    {
      config: { access: "breaks.manage" },
      schema: {
        tags: ["staff"],
        summary: "Change a staff member (details: supervisor+, role: admin+, availability: team lead+)",
        params: staffIdParams,
        body: updateStaffBody,
        response: { 200: staffSchema },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      return scoped(req, async (scope) => {
        const row = await updateStaff(scope, caller.user, req.params.id, req.body);
        const [staff] = await present(scope, [row]);
        return staff!;
      });
    },
  );

  app.delete(
    "/staff/:id",
    {
      config: { access: "staff.delete" },
      schema: {
        tags: ["staff"],
        summary: "Deactivate a staff member",
        params: staffIdParams,
        response: { 200: staffSchema },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      return scoped(req, async (scope) => {
        const row = await deactivateStaff(scope, caller.user, req.params.id);
        const [staff] = await present(scope, [row]);
        return staff!;
      });
    },
  );
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
