import type { FastifyReply, FastifyRequest } from "fastify";
import { can, type Permission } from "../../../protocol/roles";
import { forbidden, HttpError, notFound, unauthenticated } from "../../lib/errors";
import { resolveToken, sessionCookie, tenantBySlug } from "./sessions";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
/** Permissions that act on the platform itself rather than inside one tenant. */
const platformPermissions = new Set<Permission>(["tenants.manage", "platform.audit"]);

/**
 * Resolves the caller of every API request and enforces the route's declared access before anything else runs,
 * so an unauthenticated or unauthorised request is answered 401/403 without its body being looked at.
 */
export async function authenticate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  req.caller = null;
  const access = req.routeOptions.config.access;
  const header = req.headers.authorization;
  const bearer = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
  const cookie = req.cookies[sessionCookie];
  const token = bearer ?? cookie;
  const { config, database } = req.server.deps;

  if (token) {
    const resolved = await resolveToken(database.db, token, config.sessionTtlMs);
    if (!resolved && (access !== "public" || bearer))
      throw unauthenticated("Your session has ended. Sign in again.");
    if (resolved) {
      const via = bearer ? "bearer" : "cookie";
      let tenantId = resolved.user.tenantId;
      const asTenant = req.headers["x-tenant"];
      if (resolved.user.role === "super_admin" && typeof asTenant === "string" && asTenant) {
        const tenant = await tenantBySlug(database.db, asTenant);
        if (!tenant) throw notFound("tenant");
        tenantId = tenant.id;
      }
      req.caller = { ...resolved, tenantId, via };
      if (via === "cookie" && !safeMethods.has(req.method)) checkSameOrigin(req, config.publicUrl);
    }
  }

  if (access === "public") return;
  if (!access) throw forbidden();
  if (!req.caller) throw unauthenticated();
  if (access === "signed_in") return;
  if (!can(req.caller.user.role, access)) throw forbidden();
  // Tenant work needs a tenant: a super admin without X-Tenant is only on platform routes.
  if (!req.caller.tenantId && !platformPermissions.has(access)) {
    throw new HttpError(400, "tenant_required", "Name the tenant to act in with the X-Tenant header.");
  }
}

/** A cookie is sent by the browser whatever page asked, so state changes must come from our own pages. */
function checkSameOrigin(req: FastifyRequest, publicUrl: string): void {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin" && site !== "none") {
    throw forbidden("Requests from other sites are refused.");
  }
  const origin = req.headers.origin;
  if (typeof origin === "string") {
    const allowed = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.headers.host}`]);
    if (!allowed.has(origin)) throw forbidden("Requests from other sites are refused.");
  }
}
