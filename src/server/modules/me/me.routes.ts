import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { rolePermissions } from "../../../protocol/roles";
import { errorSchema, meSchema, okSchema, userSchema } from "../../../protocol/schemas";
import { apiTokens, sessions, tenants, users } from "../../db/schema";
import { newToken, sha256 } from "../../lib/crypto";
import { callerOf, ownScoped, scoped } from "../../lib/deps";
import { notFound } from "../../lib/errors";
import type { App } from "../../lib/http";
import { recordActivity } from "../audit/record-activity";
import { setAvailability } from "../routing/availability";
import { breakEnd } from "../staff/staff.commands";
import { availabilityChange } from "../staff/staff.schema";
import { presentUser } from "../staff/user.presenter";

const idParams = z.strictObject({ id: z.uuid("must be an id") });

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
const sessionSchema = z.object({
  id: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});

export function meRoutes(app: App) {
  app.get(
    "/me",
    {
      config: { access: "signed_in" },
      schema: { tags: ["me"], summary: "Who am I", response: { 200: meSchema } },
    },
    async (req) => {
      const caller = callerOf(req);
      const [user] = await ownScoped(req, ({ tx }) =>
        tx.select().from(users).where(eq(users.id, caller.user.id)),
      );
      if (!user) throw notFound("user");
      // Sequential, never nested: the embedded database has one connection.
      const [tenant] = caller.tenantId
        ? await scoped(req, ({ tx }) =>
            tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name }).from(tenants),
          )
        : [];
      return {
        user: presentUser(user),
        tenant: tenant ?? null,
        permissions: [...rolePermissions[user.role]],
      };
    },
  );

  app.patch(
    "/me/availability",
    {
      config: { access: "availability.set" },
      schema: {
        tags: ["me"],
        summary: "Set one's own availability",
        body: availabilityChange,
        response: { 200: userSchema, 400: errorSchema },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const until = breakEnd(req.body.until);
      return scoped(req, async (scope) => {
        const after = await setAvailability(scope, caller.user.id, { status: req.body.status, until });
        if (!after) throw notFound("user");
        return presentUser(after);
      });
    },
  );

  app.get(
    "/me/tokens",
    {
      config: { access: "own.profile" },
      schema: {
        tags: ["me"],
        summary: "My API tokens",
        response: { 200: z.object({ items: z.array(tokenSchema) }) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const rows = await ownScoped(req, ({ tx }) =>
        tx
          .select()
          .from(apiTokens)
          .where(and(eq(apiTokens.userId, caller.user.id), isNull(apiTokens.revokedAt)))
          .orderBy(desc(apiTokens.createdAt)),
      );
      return { items: rows.map(presentToken) };
    },
  );

  app.post(
    "/me/tokens",
    {
      config: { access: "own.profile" },
      schema: {
        tags: ["me"],
        summary: "Create a personal API token (shown once)",
        body: z.strictObject({
          name: z.string().trim().min(1, "is required").max(80),
          expiresInDays: z.number().int().min(1).max(365).optional(),
        }),
        response: { 201: tokenSchema.extend({ token: z.string() }) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const token = newToken("sbt");
      const row = await ownScoped(req, async (scope) => {
        const [created] = await scope.tx
          .insert(apiTokens)
          .values({
            tenantId: caller.user.tenantId,
            userId: caller.user.id,
            name: req.body.name,
            tokenHash: sha256(token),
            prefix: token.slice(0, 10),
            expiresAt: req.body.expiresInDays
              ? new Date(Date.now() + req.body.expiresInDays * 86400_000)
              : null,
          })
          .returning();
        await recordActivity(scope, {
          action: "api_token.created",
          subjectType: "api_token",
          subjectId: created!.id,
          newValue: { name: created!.name, prefix: created!.prefix, expiresAt: created!.expiresAt },
        });
        return created!;
      });
      return reply.status(201).send({ ...presentToken(row), token });
    },
  );

  app.delete(
    "/me/tokens/:id",
    {
      config: { access: "own.profile" },
      schema: { tags: ["me"], summary: "Revoke an API token", params: idParams, response: { 200: okSchema } },
    },
    async (req) => {
      const caller = callerOf(req);
      await ownScoped(req, async (scope) => {
        const [row] = await scope.tx
          .update(apiTokens)
          .set({ revokedAt: new Date() })
          .where(
            and(
              eq(apiTokens.id, req.params.id),
              eq(apiTokens.userId, caller.user.id),
              isNull(apiTokens.revokedAt),
            ),
          )
          .returning();
        if (!row) throw notFound("token");
        await recordActivity(scope, {
          action: "api_token.revoked",
          subjectType: "api_token",
          subjectId: row.id,
        });
      });
      return { ok: true as const };
    },
  );

  app.get(
    "/me/sessions",
    {
      config: { access: "own.profile" },
      schema: {
        tags: ["me"],
        summary: "My active sessions",
        response: { 200: z.object({ items: z.array(sessionSchema) }) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const rows = await ownScoped(req, ({ tx }) =>
        tx
          .select()
          .from(sessions)
          .where(and(eq(sessions.userId, caller.user.id), isNull(sessions.revokedAt)))
          .orderBy(desc(sessions.lastUsedAt)),
      );
      return {
        items: rows
          .filter((s) => s.expiresAt > new Date())
          .map((s) => ({
            id: s.id,
            ip: s.ip,
            userAgent: s.userAgent,
            createdAt: s.createdAt.toISOString(),
            lastUsedAt: s.lastUsedAt.toISOString(),
            expiresAt: s.expiresAt.toISOString(),
            current: s.id === caller.sessionId,
          })),
      };
    },
  );

  app.delete(
    "/me/sessions/:id",
    {
      config: { access: "own.profile" },
      schema: {
        tags: ["me"],
        summary: "Revoke one of my sessions",
        params: idParams,
        response: { 200: okSchema },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      await ownScoped(req, async (scope) => {
        const [row] = await scope.tx
          .update(sessions)
          .set({ revokedAt: new Date() })
          .where(
            and(
              eq(sessions.id, req.params.id),
              eq(sessions.userId, caller.user.id),
              isNull(sessions.revokedAt),
            ),
          )
          .returning({ id: sessions.id });
        if (!row) throw notFound("session");
        await recordActivity(scope, { action: "session.revoked", subjectType: "session", subjectId: row.id });
      });
      return { ok: true as const };
    },
  );
}

function presentToken(row: typeof apiTokens.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
