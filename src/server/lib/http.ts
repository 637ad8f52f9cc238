import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import type { Permission } from "../../protocol/roles";
import { HttpError } from "./errors";

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Who may call a route, declared on the route itself and checked before the handler runs (default deny: a route
 * without `access` is refused). Finer checks about the particular thing live in each module's policy file.
 */
export type Access = "public" | "signed_in" | Permission;

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>) => ({
  error: details ? { code, message, details } : { code, message },
});

type FastifyLikeError = Error & { statusCode?: number; code?: string; validationContext?: string };

/** Every failure leaves in the API's error shape; nothing internal (stack, SQL) reaches the client. */
export function errorHandler(err: FastifyLikeError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HttpError) {
    if (err.headers) reply.headers(err.headers);
    return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string> = {};
    for (const v of err.validation) {
      const path = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
      const keys = (v.params as { keys?: unknown }).keys;
      if (v.keyword === "unrecognized_keys" && Array.isArray(keys)) {
        for (const key of keys) fields[path ? `${path}.${key}` : String(key)] = "is not a known field";
      } else {
        fields[path || err.validationContext || "body"] ??= v.message ?? "is not valid";
      }
    }
    return reply.status(400).send(errorBody("validation_failed", "Some fields are not valid.", { fields }));
  }
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return reply.status(400).send(
        errorBody("validation_failed", "The body is not valid JSON.", {
          fields: { body: "is not valid JSON" },
        }),
      );
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return reply.status(413).send(errorBody("too_large", "The request body is too large."));
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return reply.status(415).send(errorBody("unsupported_media_type", "Send JSON (application/json)."));
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return reply
      .status(err.statusCode)
      .send(errorBody("bad_request", "The request could not be understood."));
  }
  req.log.error({ err }, "request failed");
  return reply.status(500).send(errorBody("internal", "Something went wrong on our side."));
}
