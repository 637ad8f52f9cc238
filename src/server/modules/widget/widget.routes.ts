import { createHmac, randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { authResultSchema, errorSchema } from "../../../protocol/schemas";
import { tenants, users } from "../../db/schema";
import { safeEqual } from "../../lib/crypto";
import { actorOf, callerOf, scoped, scopedAs } from "../../lib/deps";
import { conflict, HttpError, notFound, rateLimited } from "../../lib/errors";
import type { App } from "../../lib/http";
import type { Scope } from "../../lib/scope";
import { PerAddressLimit } from "../../lib/sliding-window";
import { recordActivity } from "../audit/record-activity";
import { emailSchema, nameSchema, slugSchema } from "../auth/auth.schema";
import { createSession, tenantBySlug } from "../auth/sessions";
import { presentUser } from "../staff/user.presenter";
import {
  maxLiveSignInLinks,
  redeemSignInLink,
  sendSignInLink,
  signInLinkMinutes,
  signInTokenPattern,
} from "./sign-in-links";

/** How long a host site's signature stays good: long enough for a page load, too short to be replayed later. */
export const identityMaxAgeSeconds = 300;

export function widgetSignature(secret: string, externalId: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${externalId}:${timestamp}`).digest("hex");
}

const sessionBody = z.strictObject({ tenant: slugSchema, name: nameSchema, email: emailSchema });
/** A known customer's answer: no session, an email with a one-time link instead. */
const verificationSent = z.object({
  verification: z.literal("sent").describe("a sign-in link was emailed, if the address may have one"),
  email: z.string(),
});
const signInBody = z.strictObject({
  tenant: slugSchema,
  token: z.string().regex(signInTokenPattern, "must be the token of a sign-in link"),
});
const identifyBody = z.strictObject({
  tenant: slugSchema,
  externalId: z.string().trim().min(1).max(200),
  name: nameSchema,
  email: emailSchema,
  /** Unix seconds when the host site signed. */
  timestamp: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[0-9a-f]{64}$/, "must be a hex HMAC-SHA256"),
});

export function widgetRoutes(app: App) {
  // Anonymous visitors create leads; this keeps one address from filling a tenant with them.
  const visitors = new PerAddressLimit(20, 3600_000);
  // Tokens are 256 bits, so guessing is hopeless anyway; this stops an address from trying for long.
  const linkAttempts = new PerAddressLimit(30, 15 * 60_000);

  const startSession = async (req: FastifyRequest, scope: Scope, user: typeof users.$inferSelect) => {
    const session = await createSession(scope, user, {
      ip: req.ip,
      userAgent: req.headers["user-agent"]?.slice(0, 500) ?? null,
      ttlMs: app.deps.config.sessionTtlMs,
    });
    return { user: presentUser(user), token: session.token, expiresAt: session.expiresAt.toISOString() };
  };

  app.post(
    "/widget/session",
    {
      config: { access: "public" },
      schema: {
        tags: ["widget"],
        summary:
          "A visitor gives a name and email: a new one becomes a lead, a known customer is emailed a sign-in link",
        description:
          "201 with a session for an email not known in the tenant. 202 for an email of a customer: an active " +
          `one is emailed a link good for ${signInLinkMinutes} minutes and one use (at most ${maxLiveSignInLinks} ` +
          "at a time, then 429), a deactivated one gets nothing. 409 for a staff member's email.",
        body: sessionBody,
        response: {
          201: authResultSchema,
          202: verificationSent,
          404: errorSchema,
          409: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const wait = visitors.retryAfter(req.ip);
      if (wait) throw rateLimited(wait);
      visitors.count(req.ip);
      const tenant = await tenantBySlug(app.deps.database.db, req.body.tenant);
      if (!tenant) throw notFound("tenant");
      const result = await scopedAs(req, tenant.id, actorOf(req), async (scope) => {
        const [known] = await scope.tx
          .select()
          .from(users)
          .where(eq(sql`lower(${users.email})`, req.body.email));
        if (known) {
          if (known.role !== "customer")
            throw conflict("This email belongs to a staff member. Staff sign in to the console.", {
              fields: { email: "belongs to a staff member" },
            });
          // An email is not proof of identity: a known address gets a link in its mailbox, never the history here.
          // A deactivated customer gets the same answer and no email.
          if (known.status === "active")
            await sendSignInLink(scope, known, { tenant, publicUrl: app.deps.config.publicUrl });
          return { verification: "sent" as const, email: req.body.email };
        }
        const [user] = await scope.tx
          .insert(users)
          .values({
            tenantId: tenant.id,
            email: req.body.email,
            name: req.body.name,
            role: "customer",
            leadStatus: "new",
          })
          .returning();
        scope.actor = { ...scope.actor, type: "user", id: user!.id, name: user!.name, role: "customer" };
        await recordActivity(scope, {
          action: "lead.created",
          subjectType: "user",
          subjectId: user!.id,
          newValue: presentUser(user!),
          metadata: { via: "widget" },
        });
        return startSession(req, scope, user!);
      });
      return "verification" in result ? reply.status(202).send(result) : reply.status(201).send(result);
    },
  );

  app.post(
    "/widget/sign-in",
    {
      config: { access: "public" },
      schema: {
        tags: ["widget"],
        summary: "A returning visitor exchanges an emailed one-time link for a session",
        description:
          "The token from the link's `#signin=` fragment. Used, expired, unknown and other tenants' tokens all " +
          "get the same 401 and change nothing.",
        body: signInBody,
        response: { 200: authResultSchema, 401: errorSchema, 404: errorSchema, 429: errorSchema },
      },
    },
    async (req) => {
      const wait = linkAttempts.retryAfter(req.ip);
      if (wait) throw rateLimited(wait);
      const tenant = await tenantBySlug(app.deps.database.db, req.body.tenant);
      if (!tenant) throw notFound("tenant");
      try {
        return await scopedAs(req, tenant.id, actorOf(req), async (scope) =>
          startSession(req, scope, await redeemSignInLink(scope, req.body.token)),
        );
      } catch (err) {
        if (err instanceof HttpError && err.status === 401) linkAttempts.count(req.ip);
        throw err;
      }
    },
  );

  app.post(
    "/widget/identify",
    {
      config: { access: "public" },
      schema: {
        tags: ["widget"],
        summary: "A host site's signed-in user, proven by an HMAC of id and time",
        body: identifyBody,
        response: { 200: authResultSchema, 401: errorSchema },
      },
    },
    async (req) => {
      const b = req.body;
      const tenant = await tenantBySlug(app.deps.database.db, b.tenant);
      if (!tenant) throw notFound("tenant");
      const invalidSignature = new HttpError(
        401,
        "unauthenticated",
        "The widget identity is not valid or has expired.",
      );
      if (Math.abs(Date.now() / 1000 - b.timestamp) > identityMaxAgeSeconds) throw invalidSignature;
      return scopedAs(req, tenant.id, actorOf(req), async (scope) => {
        const [row] = await scope.tx.select({ secret: tenants.widgetSecret }).from(tenants);
        if (!row || !safeEqual(widgetSignature(row.secret, b.externalId, b.timestamp), b.signature))
          throw invalidSignature;
        let [user] = await scope.tx.select().from(users).where(eq(users.externalId, b.externalId));
        if (!user) {
          [user] = await scope.tx
            .select()
            .from(users)
            .where(and(eq(sql`lower(${users.email})`, b.email), eq(users.role, "customer")));
          if (user)
            [user] = await scope.tx
              .update(users)
              .set({ externalId: b.externalId })
              .where(eq(users.id, user.id))
              .returning();
        }
        if (!user) {
          const [staffWithEmail] = await scope.tx
            .select({ id: users.id })
            .from(users)
            .where(eq(sql`lower(${users.email})`, b.email));
          if (staffWithEmail) throw conflict("This email belongs to a staff member.");
          [user] = await scope.tx
            .insert(users)
            .values({
              tenantId: tenant.id,
              email: b.email,
              name: b.name,
              role: "customer",
              externalId: b.externalId,
            })
            .returning();
          await recordActivity(scope, {
            action: "customer.created",
            subjectType: "user",
            subjectId: user!.id,
            newValue: presentUser(user!),
            metadata: { via: "widget" },
          });
        }
        if (user!.status !== "active") throw invalidSignature;
        scope.actor = { ...scope.actor, type: "user", id: user!.id, name: user!.name, role: "customer" };
        await recordActivity(scope, {
          action: "widget.identified",
          subjectType: "user",
          subjectId: user!.id,
        });
        return startSession(req, scope, user!);
      });
    },
  );

  const widgetSettings = z.object({ secret: z.string(), snippet: z.string() });
  const snippet = (slug: string) =>
    `<script src="${app.deps.config.publicUrl}/widget.js" data-tenant="${slug}" async></script>`;

  app.get(
    "/settings/widget",
    {
      config: { access: "settings.manage" },
      schema: {
        tags: ["settings"],
        summary: "The widget's embed snippet and signing secret",
        response: { 200: widgetSettings },
      },
    },
    async (req) =>
      scoped(req, async ({ tx }) => {
        const [row] = await tx.select({ slug: tenants.slug, secret: tenants.widgetSecret }).from(tenants);
        if (!row) throw notFound("tenant");
        return { secret: row.secret, snippet: snippet(row.slug) };
      }),
  );

  app.post(
    "/settings/widget/rotate",
    {
      config: { access: "settings.manage" },
      schema: {
        tags: ["settings"],
        summary: "Replace the widget's signing secret",
        response: { 200: widgetSettings },
      },
    },
    async (req) =>
      scoped(req, async (scope) => {
        const secret = randomBytes(32).toString("hex");
        const [row] = await scope.tx
          .update(tenants)
          .set({ widgetSecret: secret })
          .where(eq(tenants.id, callerOf(req).tenantId!))
          .returning();
        if (!row) throw notFound("tenant");
        await recordActivity(scope, {
          action: "widget.secret_rotated",
          subjectType: "tenant",
          subjectId: row.id,
        });
        return { secret, snippet: snippet(row.slug) };
      }),
  );
}
