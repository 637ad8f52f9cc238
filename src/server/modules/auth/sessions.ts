import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiTokens, sessions, tenants, users } from "../../db/schema";
import { inSystem } from "../../db/tenant-scope";
import { newToken, sha256 } from "../../lib/crypto";
import type { Caller } from "../../lib/deps";
import type { Scope } from "../../lib/scope";

export const sessionCookie = "sb_session";
/** Last-use times are written at most this often, so reads do not become writes on every request. */
const touchEveryMs = 60_000;

export async function createSession(
  scope: Scope,
  user: { id: string; tenantId: string | null },
  meta: { ip: string | null; userAgent: string | null; ttlMs: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newToken("sbs");
  const expiresAt = new Date(Date.now() + meta.ttlMs);
  const [row] = await scope.tx
    .insert(sessions)
    .values({
      tenantId: user.tenantId,
      userId: user.id,
      tokenHash: sha256(token),
      ip: meta.ip,
      userAgent: meta.userAgent,
      expiresAt,
    })
    .returning({ id: sessions.id });
  return { id: row!.id, token, expiresAt };
}

type Resolved = Omit<Caller, "tenantId" | "via">;

/**
 * Finds the active user behind a session or API token. Runs across tenants because the tenant is not known
 * until the token is: this is one of the few system-scope reads.
 */
export async function resolveToken(db: Db, token: string, ttlMs: number): Promise<Resolved | null> {
  if (!/^sb[st]_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = sha256(token);
  const now = new Date();
  return inSystem(db, async (tx) => {
    const userColumns = {
      id: users.id,
      tenantId: users.tenantId,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
    };
    if (token.startsWith("sbs_")) {
      const [row] = await tx
        .select({
          user: userColumns,
          id: sessions.id,
          expiresAt: sessions.expiresAt,
          lastUsedAt: sessions.lastUsedAt,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, hash), isNull(sessions.revokedAt)))
        .limit(1);
      if (!row || row.expiresAt <= now || row.user.status !== "active") return null;
      if (now.getTime() - row.lastUsedAt.getTime() > touchEveryMs) {
        // Sliding expiry: a session in use stays alive.
        await tx
          .update(sessions)
          .set({ lastUsedAt: now, expiresAt: new Date(now.getTime() + ttlMs) })
          .where(eq(sessions.id, row.id));
      }
      const { status: _s, ...user } = row.user;
      return { user, sessionId: row.id, tokenId: null };
    }
    const [row] = await tx
      .select({
        user: userColumns,
        id: apiTokens.id,
        expiresAt: apiTokens.expiresAt,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)))
      .limit(1);
    if (!row || (row.expiresAt && row.expiresAt <= now) || row.user.status !== "active") return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > touchEveryMs) {
      await tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
    }
    const { status: _s, ...user } = row.user;
    return { user, sessionId: null, tokenId: row.id };
  });
}

export async function tenantBySlug(db: Db, slug: string) {
  const [row] = await inSystem(db, (tx) =>
    tx
      .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
      .from(tenants)
      .where(eq(sql`lower(${tenants.slug})`, slug.toLowerCase()))
      .limit(1),
  );
  return row ?? null;
}
