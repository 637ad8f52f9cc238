import { and, eq, lt } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { idempotencyKeys } from "../db/schema";
import { canonicalJson, sha256 } from "./crypto";
import { ownScoped } from "./deps";
import { conflict, invalid } from "./errors";
import type { App } from "./http";

const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** How long a key is remembered. */
const keepMs = 24 * 3600_000;

declare module "fastify" {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

/**
 * `Idempotency-Key` on a mutating request. The key is claimed before the handler runs, so a concurrent retry is
 * told the first is still in progress rather than running twice; a successful answer is kept and replayed; a
 * failed one releases the key. The same key with a different request is refused.
 */
export function idempotency(api: App) {
  api.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers["idempotency-key"];
    if (!mutating.has(req.method) || key === undefined || !req.caller) return;
    if (typeof key !== "string" || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw invalid({ "Idempotency-Key": "must be 1–200 visible ASCII characters" });
    }
    const caller = req.caller;
    const requestHash = sha256(canonicalJson([req.method, req.url, req.body ?? null]));
    const claim = await ownScoped(req, async ({ tx }) => {
      await tx
        .delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.userId, caller.user.id),
            eq(idempotencyKeys.key, key),
            lt(idempotencyKeys.createdAt, new Date(Date.now() - keepMs)),
          ),
        );
      const [claimed] = await tx
        .insert(idempotencyKeys)
        .values({
          tenantId: caller.user.tenantId,
          userId: caller.user.id,
          key,
          method: req.method,
          path: req.url,
          requestHash,
          statusCode: 0,
        })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed) return null;
      const [stored] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, caller.user.id), eq(idempotencyKeys.key, key)));
      return stored ?? null;
    });
    if (!claim) {
      req.idempotencyKey = key;
      return;
    }
    if (claim.requestHash !== requestHash)
      throw conflict("This Idempotency-Key was used for a different request.");
    if (claim.statusCode === 0) throw conflict("A request with this Idempotency-Key is still in progress.");
    return reply.status(claim.statusCode).header("idempotent-replayed", "true").send(claim.body);
  });

  api.addHook("onSend", async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key || !req.caller) return payload;
    const userId = req.caller.user.id;
    const ok = reply.statusCode < 300 && typeof payload === "string";
    await ownScoped(req, ({ tx }) => {
      const mine = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
      return ok
        ? tx
            .update(idempotencyKeys)
            .set({ statusCode: reply.statusCode, body: payload ? JSON.parse(payload as string) : null })
            .where(mine)
        : tx.delete(idempotencyKeys).where(mine);
    });
    return payload;
  });
}
