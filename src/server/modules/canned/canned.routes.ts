import { cannedResponseSchema } from "../../../protocol/canned";
import { errorSchema, okSchema, pageOf } from "../../../protocol/schemas";
import { callerOf, scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { createCanned, deleteCanned, listCanned, updateCanned } from "./canned.commands";
import { cannedIdParams, createCannedBody, listCannedQuery, updateCannedBody } from "./canned.schema";

/**
 * Canned responses: every staff member (anyone who answers chats) reads the shared ones and keeps their own;
 * shared ones are changed with canned.manage, checked per snippet in the commands.
 */
export function cannedRoutes(app: App) {
  app.get(
    "/canned-responses",
    {
      config: { access: "chats.assigned" },
      schema: {
        tags: ["canned responses"],
        summary: "The shared canned responses and the caller's own",
        querystring: listCannedQuery,
        response: { 200: pageOf(cannedResponseSchema) },
      },
    },
    async (req) => scoped(req, (scope) => listCanned(scope, callerOf(req).user, req.query)),
  );

  app.post(
    "/canned-responses",
    {
      config: { access: "chats.assigned" },
      schema: {
        tags: ["canned responses"],
        summary: "Create a canned response (shared with everyone: canned.manage)",
        body: createCannedBody,
        response: { 201: cannedResponseSchema, 409: errorSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await scoped(req, (scope) => createCanned(scope, callerOf(req).user, req.body))),
  );

  app.patch(
    "/canned-responses/:id",
    {
      config: { access: "chats.assigned" },
      schema: {
        tags: ["canned responses"],
        summary: "Change a canned response (one's own, or a shared one with canned.manage)",
        params: cannedIdParams,
        body: updateCannedBody,
        response: { 200: cannedResponseSchema, 409: errorSchema },
      },
    },
    async (req) => scoped(req, (scope) => updateCanned(scope, callerOf(req).user, req.params.id, req.body)),
  );

  app.delete(
    "/canned-responses/:id",
    {
      config: { access: "chats.assigned" },
      schema: {
        tags: ["canned responses"],
        summary: "Delete a canned response (one's own, or a shared one with canned.manage)",
        params: cannedIdParams,
        response: { 200: okSchema },
      },
    },
    async (req) =>
      scoped(req, async (scope) => {
        await deleteCanned(scope, callerOf(req).user, req.params.id);
        return { ok: true as const };
      }),
  );
}
