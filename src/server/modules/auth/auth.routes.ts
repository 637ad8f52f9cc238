import { and, eq, isNull, sql } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { authResultSchema, errorSchema, okSchema } from "../../../protocol/schemas";
import { sessions, users } from "../../db/schema";
import { actorOf, callerOf, ownScoped, scopedAs } from "../../lib/deps";
import { conflict, HttpError, notFound, rateLimited } from "../../lib/errors";
import type { App } from "../../lib/http";
import type { Actor } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { presentUser } from "../staff/user.presenter";
import { loginBody, signupBody } from "./auth.schema";
import { LoginLimiter } from "./login-limiter";
import { hashPassword, verifyPassword } from "./password";
import { createSession, sessionCookie, tenantBySlug } from "./sessions";

const badCredentials = () => new HttpError(401, "unauthenticated", "The email or password is not right.");

export function authRoutes(app: App, limiter = new LoginLimiter()) {
  const setCookie = (reply: FastifyReply, token: string, expiresAt: Date) =>
    reply.setCookie(sessionCookie, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: app.deps.config.secureCookies,
      path: "/",
      expires: expiresAt,
    });

  const userActor = (
    req: FastifyRequest,
    user: { id: string; name: string; role: Actor["role"] },
  ): Actor => ({
    ...actorOf(req),
    type: "user",
    id: user.id,
    name: user.name,
    role: user.role,
  });

  app.post(
    "/auth/signup",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "A customer signs up to a tenant",
        body: signupBody,
        response: { 201: authResultSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { config } = app.deps;
      const tenant = await tenantBySlug(app.deps.database.db, req.body.tenant);
      if (!tenant) throw notFound("tenant");
      const passwordHash = await hashPassword(req.body.password);
      const result = await scopedAs(req, tenant.id, actorOf(req), async (scope) => {
        const [existing] = await scope.tx
          .select({ id: users.id })
          .from(users)
          .where(eq(sql`lower(${users.email})`, req.body.email))
          .limit(1);
        if (existing)
          throw conflict("An account with this email already exists.", { fields: { email: "is taken" } });
        const [user] = await scope.tx
          .insert(users)
          .values({
            tenantId: tenant.id,
            email: req.body.email,
            name: req.body.name,
            role: "customer",
            passwordHash,
          })
          .returning();
        scope.actor = userActor(req, user!);
        await recordActivity(scope, {
          action: "user.signed_up",
          subjectType: "user",
          subjectId: user!.id,
          newValue: presentUser(user!),
        });
        const session = await createSession(scope, user!, {
          ...sessionMeta(req),
          ttlMs: config.sessionTtlMs,
        });
        return { user: user!, session };
      });
      setCookie(reply, result.session.token, result.session.expiresAt);
      return reply.status(201).send({
        user: presentUser(result.user),
        token: result.session.token,
        expiresAt: result.session.expiresAt.toISOString(),
      });
    },
  );

  app.post(
    "/auth/login",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Sign in with email and password",
        body: loginBody,
        response: { 200: authResultSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { config, database } = app.deps;
      const account = `${req.body.tenant ?? ""}/${req.body.email}`;
      const wait = limiter.retryAfter(req.ip, account);
      if (wait) throw rateLimited(wait);
      const tenant = req.body.tenant ? await tenantBySlug(database.db, req.body.tenant) : null;
      const tenantId = tenant?.id ?? null;
      const fail = async () => {
        limiter.fail(req.ip, account);
        throw badCredentials();
      };
      if (req.body.tenant && !tenant) {
        await verifyPassword(null, req.body.password);
        return fail();
      }
      const [user] = await scopedAs(req, tenantId, actorOf(req), (scope) =>
        scope.tx
          .select()
          .from(users)
          .where(
            and(
              tenantId ? eq(users.tenantId, tenantId) : isNull(users.tenantId),
              eq(sql`lower(${users.email})`, req.body.email),
            ),
          )
          .limit(1),
      );
      const active = user?.status === "active" ? user : undefined;
      const ok = await verifyPassword(active?.passwordHash, req.body.password);
      if (!active || !ok) {
        if (user) {
          await scopedAs(req, tenantId, userActor(req, user), (scope) =>
            recordActivity(scope, { action: "auth.login_failed", subjectType: "user", subjectId: user.id }),
          );
        }
        return fail();
      }
      limiter.succeed(account);
      const session = await scopedAs(req, tenantId, userActor(req, active), async (scope) => {
        await scope.tx.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, active.id));
        await recordActivity(scope, { action: "auth.login", subjectType: "user", subjectId: active.id });
        return createSession(scope, active, { ...sessionMeta(req), ttlMs: config.sessionTtlMs });
      });
      setCookie(reply, session.token, session.expiresAt);
      return {
        user: presentUser(active),
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    "/auth/logout",
    {
      config: { access: "signed_in" },
      schema: { tags: ["auth"], summary: "End this session", response: { 200: okSchema } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      await ownScoped(req, async (scope) => {
        if (caller.sessionId) {
          await scope.tx
            .update(sessions)
            .set({ revokedAt: new Date() })
            .where(and(eq(sessions.id, caller.sessionId), eq(sessions.userId, caller.user.id)));
        }
        await recordActivity(scope, {
          action: "auth.logout",
          subjectType: "user",
          subjectId: caller.user.id,
        });
      });
      reply.clearCookie(sessionCookie, { path: "/" });
      return { ok: true as const };
    },
  );
}

function sessionMeta(req: FastifyRequest) {
  return { ip: req.ip, userAgent: req.headers["user-agent"]?.slice(0, 500) ?? null };
}
