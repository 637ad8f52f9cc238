import type { FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { Role } from "../../protocol/roles";
import type { Config } from "../config";
import type { Database } from "../db/client";
import type { Realtime } from "../realtime/realtime";
import { unauthenticated } from "./errors";
import { type Actor, runScoped, type Scope, type Services } from "./scope";

/** What every module may use; built once in main.ts (or by the tests) and handed to the app. */
export interface Deps {
  config: Config;
  database: Database;
  logger: Logger;
  realtime: Realtime;
  /** The same Realtime and the app's background services, as scopes reach them. */
  services: Services;
}

export interface CallerUser {
  id: string;
  tenantId: string | null;
  email: string;
  name: string;
  role: Role;
}

/** The signed-in person behind a request. */
export interface Caller {
  user: CallerUser;
  /** The tenant the request acts in: the user's own, or the one a super admin named with X-Tenant. */
  tenantId: string | null;
  sessionId: string | null;
  tokenId: string | null;
  via: "cookie" | "bearer";
}

declare module "fastify" {
  interface FastifyInstance {
    deps: Deps;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw unauthenticated();
  return req.caller;
}

export function actorOf(req: FastifyRequest): Actor {
  const caller = req.caller;
  const userAgent = req.headers["user-agent"]?.slice(0, 500) ?? null;
  if (!caller) return { type: "system", id: null, name: "anonymous", role: null, ip: req.ip, userAgent };
  return {
    type: caller.tokenId ? "api_token" : "user",
    id: caller.user.id,
    name: caller.user.name,
    role: caller.user.role,
    ip: req.ip,
    userAgent,
  };
}

/** Runs `fn` in a transaction confined to the caller's tenant (or the platform, for a super admin). */
export function scoped<T>(req: FastifyRequest, fn: (scope: Scope) => Promise<T>): Promise<T> {
  const caller = callerOf(req);
  return runScoped(req.server.deps.database.db, caller.tenantId, actorOf(req), fn, req.server.deps.services);
}

/** Like `scoped`, for a request that has a tenant but no caller yet (sign-up, sign-in). */
export function scopedAs<T>(
  req: FastifyRequest,
  tenantId: string | null,
  actor: Actor,
  fn: (scope: Scope) => Promise<T>,
): Promise<T> {
  return runScoped(req.server.deps.database.db, tenantId, actor, fn, req.server.deps.services);
}

/** Runs `fn` in the caller's home tenant (a super admin's home is the platform): for their own sessions and tokens. */
export function ownScoped<T>(req: FastifyRequest, fn: (scope: Scope) => Promise<T>): Promise<T> {
  const caller = callerOf(req);
  return runScoped(
    req.server.deps.database.db,
    caller.user.tenantId,
    actorOf(req),
    fn,
    req.server.deps.services,
  );
}

/** Runs `fn` on the platform itself (no tenant): the super admin's tenant list and the platform's audit trail. */
export function platformScoped<T>(req: FastifyRequest, fn: (scope: Scope) => Promise<T>): Promise<T> {
  return runScoped(req.server.deps.database.db, null, actorOf(req), fn, req.server.deps.services);
}
