import { and, asc, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { errorSchema, pageOf } from "../../../protocol/schemas";
import { resolveSettings, settingsSchema, withHiddenSecrets } from "../../../protocol/settings";
import { tenants, users } from "../../db/schema";
import { platformScoped } from "../../lib/deps";
import { conflict, notFound } from "../../lib/errors";
import type { App } from "../../lib/http";
import { decodeCursor, pageQuery, toPage } from "../../lib/pagination";
import { changes, recordActivity } from "../audit/record-activity";
import { emailSchema, nameSchema, passwordSchema, slugSchema } from "../auth/auth.schema";
import { hashPassword } from "../auth/password";

const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  settings: settingsSchema,
  createdAt: z.string(),
});
const params = z.strictObject({ id: z.uuid("must be an id") });

const present = (t: typeof tenants.$inferSelect) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  settings: withHiddenSecrets(resolveSettings(t.settings)),
  createdAt: t.createdAt.toISOString(),
});

/** The super admin's tenant list. These run on the platform (no tenant), so they are system-scope work. */
export function tenantRoutes(app: App) {
  app.get(
    "/tenants",
    {
      config: { access: "tenants.manage" },
      schema: {
        tags: ["tenants"],
        summary: "All tenants",
        querystring: z.strictObject(pageQuery),
        response: { 200: pageOf(tenantSchema) },
      },
    },
    async (req) => {
      const cursor = decodeCursor(req.query.cursor, "string");
      const rows = await platformScoped(req, ({ tx }) =>
        tx
          .select()
          .from(tenants)
          .where(cursor ? gt(tenants.slug, String(cursor.k)) : undefined)
          .orderBy(asc(tenants.slug))
          .limit(req.query.limit + 1),
      );
      return toPage(rows, req.query.limit, present, (t) => ({ k: t.slug, id: t.id }));
    },
  );

  app.post(
    "/tenants",
    {
      config: { access: "tenants.manage" },
      schema: {
        tags: ["tenants"],
        summary: "Create a tenant, optionally with its first admin",
        body: z.strictObject({
          slug: slugSchema,
          name: nameSchema,
          admin: z
            .strictObject({ email: emailSchema, name: nameSchema, password: passwordSchema })
            .optional(),
        }),
        response: { 201: tenantSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { admin } = req.body;
      const passwordHash = admin ? await hashPassword(admin.password) : null;
      const created = await platformScoped(req, async (scope) => {
        const [taken] = await scope.tx
          .select({ id: tenants.id })
          .from(tenants)
          .where(eq(sql`lower(${tenants.slug})`, req.body.slug));
        if (taken) throw conflict("This slug is taken.", { fields: { slug: "is taken" } });
        const [tenant] = await scope.tx
          .insert(tenants)
          .values({ slug: req.body.slug, name: req.body.name })
          .returning();
        await recordActivity(scope, {
          action: "tenant.created",
          subjectType: "tenant",
          subjectId: tenant!.id,
          newValue: { slug: tenant!.slug, name: tenant!.name },
          tenantId: null,
        });
        await recordActivity(scope, {
          action: "tenant.created",
          subjectType: "tenant",
          subjectId: tenant!.id,
          newValue: { slug: tenant!.slug, name: tenant!.name },
          tenantId: tenant!.id,
        });
        if (admin) {
          const [user] = await scope.tx
            .insert(users)
            .values({
              tenantId: tenant!.id,
              email: admin.email,
              name: admin.name,
              role: "admin",
              passwordHash,
            })
            .returning({ id: users.id });
          await recordActivity(scope, {
            action: "staff.created",
            subjectType: "user",
            subjectId: user!.id,
            newValue: { email: admin.email, name: admin.name, role: "admin" },
            tenantId: tenant!.id,
          });
        }
        return tenant!;
      });
      return reply.status(201).send(present(created));
    },
  );

  app.patch(
    "/tenants/:id",
    {
      config: { access: "tenants.manage" },
      schema: {
        tags: ["tenants"],
        summary: "Rename a tenant",
        params,
        body: z.strictObject({ name: nameSchema }),
        response: { 200: tenantSchema },
      },
    },
    async (req) =>
      platformScoped(req, async (scope) => {
        const [before] = await scope.tx
          .select()
          .from(tenants)
          .where(eq(tenants.id, req.params.id))
          .for("update");
        if (!before) throw notFound("tenant");
        const [after] = await scope.tx
          .update(tenants)
          .set({ name: req.body.name, updatedAt: new Date() })
          .where(and(eq(tenants.id, before.id)))
          .returning();
        const diff = changes({ name: before.name }, { name: after!.name });
        if (diff) {
          for (const tenantId of [null, before.id]) {
            await recordActivity(scope, {
              action: "tenant.updated",
              subjectType: "tenant",
              subjectId: before.id,
              ...diff,
              tenantId,
            });
          }
        }
        return present(after!);
      }),
  );
}
