import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { errorSchema } from "../../../protocol/schemas";
import { callerOf } from "../../lib/deps";
import type { Viewer } from "./call-row";

/** What the calls routes share: their OpenAPI tag, the `:id` parameter, their errors and who is asking. */
export const callTags = ["calls"];
export const callParams = z.strictObject({ id: z.uuid("must be an id") });
export const callErrors = { 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function viewerOf(req: FastifyRequest): Viewer {
  const { user } = callerOf(req);
  return { id: user.id, role: user.role, name: user.name };
}
