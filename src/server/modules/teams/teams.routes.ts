import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { errorSchema, okSchema, teamSchema } from "../../../protocol/schemas";
import { teams, users } from "../../db/schema";
import { scoped } from "../../lib/deps";
import { conflict, invalid, notFound } from "../../lib/errors";
import type { App } from "../../lib/http";
import type { Scope } from "../../lib/scope";
import { changes, recordActivity } from "../audit/record-activity";

const params = z.strictObject({ id: z.uuid("must be an id") });
const teamBody = z.strictObject({
  name: z.string().trim().min(1, "is required").max(80),
  leadId: z.uuid("must be an id").nullable().optional(),
  /** The full member list; each person belongs to at most one team, so joining moves them here. */
  memberIds: z.array(z.uuid("must be an id")).max(500).optional(),
});
const patchBody = teamBody
  .partial()
  .refine((b) => Object.keys(b).length > 0, "name at least one field to change");

async function presentTeams(scope: Scope, rows: Array<typeof teams.$inferSelect>) {
  const ids = rows.map((t) => t.id);
  const members = ids.length
    ? await scope.tx
        .select({ id: users.id, teamId: users.teamId })
        .from(users)
        .where(inArray(users.teamId, ids))
    : [];
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    leadId: t.leadId,
    memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.id),
    createdAt: t.createdAt.toISOString(),
  }));
}

/** Lead and members must be active staff of this tenant. */
async function assertStaff(scope: Scope, field: string, ids: string[]) {
  if (!ids.length) return;
  const found = await scope.tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), ne(users.role, "customer"), eq(users.status, "active")));
  if (found.length !== new Set(ids).size) throw invalid({ [field]: "must name active staff of this tenant" });
}

async function saveTeam(scope: Scope, id: string | null, body: Partial<z.infer<typeof teamBody>>) {
  await assertStaff(scope, "leadId", body.leadId ? [body.leadId] : []);
  await assertStaff(scope, "memberIds", body.memberIds ?? []);
  const [clash] = body.name
    ? await scope.tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(sql`lower(${teams.name})`, body.name.toLowerCase()), id ? ne(teams.id, id) : undefined))
    : [];
  if (clash) throw conflict("A team with this name exists.", { fields: { name: "is taken" } });
  let before: typeof teams.$inferSelect | undefined;
  let row: typeof teams.$inferSelect | undefined;
  // Only what the body names: a patch of just the members leaves name and lead alone.
  const fields: { name?: string; leadId?: string | null } = {};
  if (body.name !== undefined) fields.name = body.name;
  if (body.leadId !== undefined) fields.leadId = body.leadId;
  if (id) {
    [before] = await scope.tx.select().from(teams).where(eq(teams.id, id)).for("update");
    if (!before) throw notFound("team");
    [row] = Object.keys(fields).length
      ? await scope.tx.update(teams).set(fields).where(eq(teams.id, id)).returning()
      : [before];
  } else {
    [row] = await scope.tx
      .insert(teams)
      .values({ tenantId: scope.tenantId!, name: body.name!, leadId: body.leadId ?? null })
      .returning();
  }
  const [beforeView] = before ? await presentTeams(scope, [before]) : [];
  if (body.memberIds) {
    await scope.tx.update(users).set({ teamId: null }).where(eq(users.teamId, row!.id));
    if (body.memberIds.length)
      await scope.tx.update(users).set({ teamId: row!.id }).where(inArray(users.id, body.memberIds));
  }
  const [view] = await presentTeams(scope, [row!]);
  const diff = beforeView ? changes(beforeView, view!) : { oldValue: null, newValue: view };
  if (diff) {
    await recordActivity(scope, {
      action: id ? "team.updated" : "team.created",
      subjectType: "team",
      subjectId: row!.id,
      ...diff,
    });
  }
  return view!;
}

export function teamRoutes(app: App) {
  app.get(
    "/teams",
    {
      config: { access: "chats.transfer" },
      schema: {
        tags: ["teams"],
        summary: "Teams of the tenant (every staff member sees them, to transfer a chat)",
        response: { 200: z.object({ items: z.array(teamSchema), nextCursor: z.null() }) },
      },
    },
    async (req) =>
      scoped(req, async (scope) => ({
        items: await presentTeams(scope, await scope.tx.select().from(teams).orderBy(asc(teams.name))),
        nextCursor: null,
      })),
  );

  app.post(
    "/teams",
    {
      config: { access: "teams.manage" },
      schema: {
        tags: ["teams"],
        summary: "Create a team",
        body: teamBody,
        response: { 201: teamSchema, 409: errorSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await scoped(req, (scope) => saveTeam(scope, null, req.body))),
  );

  app.patch(
    "/teams/:id",
    {
      config: { access: "teams.manage" },
      schema: {
        tags: ["teams"],
        summary: "Change a team",
        params,
        body: patchBody,
        response: { 200: teamSchema },
      },
    },
    async (req) => scoped(req, (scope) => saveTeam(scope, req.params.id, req.body)),
  );

  app.delete(
    "/teams/:id",
    {
      config: { access: "teams.manage" },
      schema: {
        tags: ["teams"],
        summary: "Delete a team (members stay, without a team)",
        params,
        response: { 200: okSchema },
      },
    },
    async (req) =>
      scoped(req, async (scope) => {
        const [before] = await scope.tx.select().from(teams).where(eq(teams.id, req.params.id));
        if (!before) throw notFound("team");
        const [view] = await presentTeams(scope, [before]);
        await scope.tx.delete(teams).where(eq(teams.id, req.params.id));
        await recordActivity(scope, {
          action: "team.deleted",
          subjectType: "team",
          subjectId: before.id,
          oldValue: view,
        });
        return { ok: true as const };
      }),
  );
}
