import fastifyCookie from "@fastify/cookie";
import type { Socket } from "socket.io";
import type { Role } from "../../protocol/roles";
import type { Deps } from "../lib/deps";
import { resolveToken, sessionCookie, tenantBySlug } from "../modules/auth/sessions";

export interface SocketUser {
  id: string;
  name: string;
  role: Role;
  tenantId: string;
  sessionId: string | null;
  tokenId: string | null;
}

/**
 * Who is behind a socket: the token from `auth.token`, or the session cookie. A cookie only counts from our own
 * origin, so another site cannot open a socket in the user's name (cross-site WebSocket hijacking).
 */
export async function authenticateSocket(deps: Deps, socket: Socket): Promise<SocketUser> {
  const auth = (socket.handshake.auth ?? {}) as { token?: unknown; tenant?: unknown };
  let token = typeof auth.token === "string" ? auth.token : undefined;
  if (!token && socket.handshake.headers.cookie) {
    const origin = socket.handshake.headers.origin;
    const host = socket.handshake.headers.host;
    const allowed = [new URL(deps.config.publicUrl).origin, `http://${host}`, `https://${host}`];
    if (origin && !allowed.includes(origin))
      throw socketError("forbidden", "Connections from other sites are refused.");
    token = fastifyCookie.parse(socket.handshake.headers.cookie)[sessionCookie];
  }
  if (!token) throw socketError("unauthenticated", "Sign in first.");
  const resolved = await resolveToken(deps.database.db, token, deps.config.sessionTtlMs);
  if (!resolved) throw socketError("unauthenticated", "Your session has ended. Sign in again.");
  let tenantId = resolved.user.tenantId;
  if (resolved.user.role === "super_admin" && typeof auth.tenant === "string") {
    tenantId = (await tenantBySlug(deps.database.db, auth.tenant))?.id ?? null;
  }
  if (!tenantId) throw socketError("tenant_required", "Name the tenant to act in.");
  return {
    id: resolved.user.id,
    name: resolved.user.name,
    role: resolved.user.role,
    tenantId,
    sessionId: resolved.sessionId,
    tokenId: resolved.tokenId,
  };
}

export function socketError(
  code: string,
  message: string,
): Error & { data: { code: string; message: string } } {
  return Object.assign(new Error(message), { data: { code, message } });
}
