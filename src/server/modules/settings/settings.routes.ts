import { eq } from "drizzle-orm";
import { z } from "zod";
import { can } from "../../../protocol/roles";
import {
  hiddenSecret,
  type IceServerSetting,
  resolveSettings,
  type Settings,
  settingsPatchSchema,
  settingsSchema,
  withHiddenSecrets,
} from "../../../protocol/settings";
import { tenants } from "../../db/schema";
import { canonicalJson } from "../../lib/crypto";
import { callerOf, scoped } from "../../lib/deps";
import { forbidden, invalid, notFound } from "../../lib/errors";
import type { App } from "../../lib/http";
import { changes, recordActivity } from "../audit/record-activity";
import { drainQueue, lockRouting } from "../routing/routing";

/**
 * Zod fills in a field's default even when the field is optional, so the shared patch schema turns
 * `{retention: {ticketArchiveDays: 90}}` into all four retention keys and resets the other three. The nested
 * parts of a patch are therefore taken without their defaults: only what the client named changes.
 */
function withoutDefaults<Shape extends Record<string, z.ZodDefault<z.ZodType>>>(shape: Shape) {
  return z.strictObject(
    Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field.unwrap().optional()])) as {
      [K in keyof Shape]: z.ZodOptional<ReturnType<Shape[K]["unwrap"]>>;
    },
  );
}
const patchBody = settingsPatchSchema.extend({
  retention: withoutDefaults(settingsSchema.shape.retention.unwrap().shape).optional(),
  masking: withoutDefaults(settingsSchema.shape.masking.unwrap().shape).optional(),
});

/**
 * A patch's TURN servers may carry the hidden secret GET showed: it keeps the stored secret of the server with the
 * same URLs. One with no stored secret to keep is refused, so the placeholder is never stored as a secret.
 */
function keepHiddenSecrets(before: Settings, servers: IceServerSetting[]): IceServerSetting[] {
  return servers.map((server) => {
    if (server.secret !== hiddenSecret) return server;
    const stored = before.iceServers.find(
      (s) => s.secret && canonicalJson(s.urls) === canonicalJson(server.urls),
    )?.secret;
    if (!stored)
      throw invalid({
        iceServers: "a hidden secret can only keep the secret of a server with the same URLs",
      });
    return { ...server, secret: stored };
  });
}

export function settingsRoutes(app: App) {
  app.get(
    "/settings",
    {
      config: { access: "settings.manage" },
      schema: { tags: ["settings"], summary: "Tenant settings", response: { 200: settingsSchema } },
    },
    async (req) =>
      scoped(req, async ({ tx }) => {
        const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants);
        if (!tenant) throw notFound("tenant");
        return withHiddenSecrets(resolveSettings(tenant.settings));
      }),
  );

  app.patch(
    "/settings",
    {
      config: { access: "settings.manage" },
      schema: {
        tags: ["settings"],
        summary: "Change tenant settings (ICE servers: super admin)",
        body: patchBody,
        response: { 200: settingsSchema },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      if (req.body.iceServers && !can(caller.user.role, "ice.manage")) {
        throw forbidden("Only the platform's super admin sets STUN and TURN servers.");
      }
      return scoped(req, async (scope) => {
        // Turning automatic assignment on routes the queue: routing's lock comes first.
        if (req.body.autoAssignment) await lockRouting(scope);
        const [tenant] = await scope.tx.select().from(tenants).for("update");
        if (!tenant) throw notFound("tenant");
        const before = resolveSettings(tenant.settings);
        const merged = {
          ...before,
          ...req.body,
          iceServers: req.body.iceServers
            ? keepHiddenSecrets(before, req.body.iceServers)
            : before.iceServers,
          retention: { ...before.retention, ...req.body.retention },
          masking: { ...before.masking, ...req.body.masking },
          ticketSla: { ...before.ticketSla, ...req.body.ticketSla },
        };
        const checked = settingsSchema.safeParse(merged);
        if (!checked.success)
          throw invalid({ settings: checked.error.issues[0]?.message ?? "are not valid" });
        const r = checked.data.retention;
        if (
          r.ticketDeleteDays < r.ticketArchiveDays ||
          r.conversationDeleteDays < r.conversationArchiveDays
        ) {
          throw invalid({ retention: "deletion must come after archiving" });
        }
        const diff = changes(before, checked.data);
        if (!diff) return withHiddenSecrets(before);
        await scope.tx
          .update(tenants)
          .set({ settings: checked.data, updatedAt: new Date() })
          .where(eq(tenants.id, tenant.id));
        await recordActivity(scope, {
          action: "settings.updated",
          subjectType: "tenant",
          subjectId: tenant.id,
          ...diff,
        });
        // Turning automatic assignment on hands the waiting chats to whoever has room.
        if (checked.data.autoAssignment && !before.autoAssignment) await drainQueue(scope);
        return withHiddenSecrets(checked.data);
      });
    },
  );
}
