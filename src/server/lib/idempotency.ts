import { and, eq } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { idempotencyKeys } from "../db/schema";
import { ownScoped } from "./deps";
import { conflict, invalid } from "./errors";
import type { App } from "./http";

const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);

declare module "fastify" {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

/**
 * `Idempotency-Key` on a mutating request: the first successful answer is kept per user and key, and a retry
 * gets that answer again without the handler running a second time.
 */
export function idempotency(api: App) {
  api.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers["idempotency-key"];
    if (!mutating.has(req.method) || key === undefined || !req.caller) return;
    if (typeof key !== "string" || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw invalid({ "Idempotency-Key": "must be 1–200 visible ASCII characters" });
    }
    const userId = req.caller.user.id;
    const [stored] = await ownScoped(req, ({ tx }) =>
      tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key))),
    );
    if (!stored) {
      req.idempotencyKey = key;
      return;
    }
    if (stored.method !== req.method || stored.path !== req.url) {
      throw conflict("This Idempotency-Key was used for a different request.");
    }
    return reply.status(stored.statusCode).header("idempotent-replayed", "true").send(stored.body);
  });

  api.addHook("onSend", async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key || !req.caller || reply.statusCode >= 300 || typeof payload !== "string") return payload;
    const caller = req.caller;
    await ownScoped(req, ({ tx }) =>
      tx
        .insert(idempotencyKeys)
        .values({
          tenantId: caller.user.tenantId,
          userId: caller.user.id,
          key,
          method: req.method,
          path: req.url,
          statusCode: reply.statusCode,
          body: payload ? JSON.parse(payload) : null,
        })
        .onConflictDoNothing(),
    );
    return payload;
  });
}
