import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import cookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Deps } from "./lib/deps";
import { type Access, type App, errorBody, errorHandler } from "./lib/http";
import { idempotency } from "./lib/idempotency";
import { rejectNulCharacters } from "./lib/nul-characters";
import { auditRoutes } from "./modules/audit/audit.routes";
import { authRoutes } from "./modules/auth/auth.routes";
import { authenticate } from "./modules/auth/authenticate";
import { callRoutes } from "./modules/calls/calls.routes";
import { cannedRoutes } from "./modules/canned/canned.routes";
import { conversationRoutes } from "./modules/conversations/conversations.routes";
import { customerRoutes } from "./modules/customers/customers.routes";
import { healthRoutes } from "./modules/health/health.routes";
import { meRoutes } from "./modules/me/me.routes";
import { createNotifications } from "./modules/notifications/notifications";
import { reportRoutes } from "./modules/reports/reports.routes";
import { RetentionJob } from "./modules/retention/retention-job";
import { queueRoutes } from "./modules/routing/queue.routes";
import { createRouting } from "./modules/routing/routing-service";
import { settingsRoutes } from "./modules/settings/settings.routes";
import { staffRoutes } from "./modules/staff/staff.routes";
import { teamRoutes } from "./modules/teams/teams.routes";
import { tenantRoutes } from "./modules/tenants/tenants.routes";
import { ticketRoutes } from "./modules/tickets/tickets.routes";
import { uploadRoutes } from "./modules/uploads/uploads.routes";
import { widgetRoutes } from "./modules/widget/widget.routes";
import { Realtime } from "./realtime/realtime";
import { attachSockets } from "./realtime/socket-server";

export { apiPrefix } from "./api-prefix";

import { apiPrefix } from "./api-prefix";

/** Every API route with its declared access: the permission matrix and its test are built from this. */
export interface RouteInfo {
  method: string;
  url: string;
  access: Access | undefined;
  summary: string;
}

declare module "fastify" {
  interface FastifyInstance {
    routeTable: RouteInfo[];
  }
}
export const webRoot = resolve("dist/web");

export async function buildApp(base: Omit<Deps, "realtime" | "services">): Promise<App> {
  const realtime = new Realtime();
  const deps: Deps = { ...base, realtime, services: { realtime, config: base.config, db: base.database.db } };
  const app: App = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: "loopback",
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorate("deps", deps);
  const routes: RouteInfo[] = [];
  app.decorate("routeTable", routes);
  app.decorateRequest("caller", null);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: "Switchboard API",
        version: "1",
        description: "Live chat, tickets, voice calls and queues.",
      },
      servers: [{ url: deps.config.publicUrl }],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  healthRoutes(app, deps.database);

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      // The API speaks JSON only; without this, Fastify's built-in text parser hands a plain string to the
      // body schema and the client gets a confusing 400 instead of 415.
      typed.removeContentTypeParser("text/plain");
      typed.addHook("onRoute", (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) {
          if (method === "HEAD") continue;
          const summary = (route.schema as { summary?: string } | undefined)?.summary ?? "";
          routes.push({ method, url: route.url, access: route.config?.access, summary });
        }
      });
      typed.addHook("onRequest", authenticate);
      typed.addHook("preValidation", rejectNulCharacters);
      idempotency(typed);
      authRoutes(typed);
      meRoutes(typed);
      staffRoutes(typed);
      teamRoutes(typed);
      tenantRoutes(typed);
      settingsRoutes(typed);
      auditRoutes(typed);
      conversationRoutes(typed);
      queueRoutes(typed);
      widgetRoutes(typed);
      uploadRoutes(typed);
      cannedRoutes(typed);
      ticketRoutes(typed);
      callRoutes(typed);
      customerRoutes(typed);
      reportRoutes(typed);
      typed.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
    },
    // Per-request lines only when debugging; errors are logged whatever the level.
    {
      prefix: apiPrefix,
      logLevel:
        deps.config.logLevel === "debug" || deps.config.logLevel === "trace" ? deps.config.logLevel : "warn",
    },
  );

  await attachSockets(app);
  const notifications = createNotifications(deps);
  const routing = createRouting(deps);
  const retention = new RetentionJob(deps);
  app.addHook("onReady", async () => {
    notifications.start();
    routing.start();
    retention.start();
  });
  app.addHook("onClose", () => routing.stop());
  app.addHook("onClose", () => retention.stop());
  // Before the database closes: queued emails are written and the batch being sent is marked.
  app.addHook("onClose", () => notifications.stop());
  await app.register(swaggerUi, { routePrefix: "/api/docs", uiConfig: { url: `${apiPrefix}/openapi.json` } });

  const index = join(webRoot, "index.html");
  if (existsSync(index)) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }
  app.addHook("onSend", async (req, reply, payload) => {
    reply.header("x-content-type-options", "nosniff").header("referrer-policy", "same-origin");
    // Our pages may not be framed by other sites (clickjacking), except the widget, which exists to be.
    if (!req.url.startsWith("/widget")) reply.header("x-frame-options", "SAMEORIGIN");
    return payload;
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.method === "GET" && !req.url.startsWith("/api/") && existsSync(index)) {
      // The single-page app routes everything else itself.
      return reply.type("text/html").header("cache-control", "no-cache").sendFile("index.html");
    }
    return reply.status(404).send(errorBody("not_found", "There is nothing here."));
  });
  return app;
}
