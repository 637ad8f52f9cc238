import { z } from "zod";
import type { Call } from "../../../protocol/call";
import { callStatsSchema } from "../../../protocol/call";
import { errorSchema } from "../../../protocol/schemas";
import { callerOf, scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { tenantSettings } from "../settings/tenant-settings";
import { answerCall, declineCall } from "./answer-call";
import { presentCall } from "./call.presenter";
import { callErrors as errors, callParams as params, callTags as tags, viewerOf } from "./call-http";
import { callRecordingRoutes } from "./call-recording.routes";
import { loadCall } from "./call-row";
import { createCall } from "./create-call";
import { endCall } from "./end-call";
import { iceServersFor } from "./ice-servers";
import { listCalls, listCallsQuery } from "./list-calls";

const callOut = z.custom<Call>();

export function callRoutes(app: App) {
  app.get(
    "/calls/ice-servers",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "STUN/TURN servers for the browser, with short-lived TURN credentials",
        response: {
          200: z.object({
            iceServers: z.array(
              z.object({
                urls: z.union([z.string(), z.array(z.string())]),
                username: z.string().optional(),
                credential: z.string().optional(),
              }),
            ),
            iceTransportPolicy: z.enum(["all", "relay"]),
            ttlSeconds: z.number().int(),
          }),
        },
      },
    },
    async (req, reply) => {
      const settings = await scoped(req, tenantSettings);
      // Credentials: no cache or proxy keeps them.
      reply.header("cache-control", "no-store");
      return iceServersFor(settings, req.server.deps.config, callerOf(req).user.id);
    },
  );

  app.post(
    "/calls",
    {
      config: { access: "own.calls" },
      schema: {
        tags,
        summary: "Call support: the call is queued and rung at the agents who can take it",
        body: z.strictObject({ conversationId: z.uuid().optional() }).nullish(),
        response: { 201: callOut, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await scoped(req, (scope) => createCall(scope, viewerOf(req), req.body ?? {}))),
  );

  app.get(
    "/calls",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary:
          "Recent calls: a customer's own; all for team leads and above; an agent's own and the waiting",
        querystring: listCallsQuery,
      },
    },
    async (req) => scoped(req, (scope) => listCalls(scope, viewerOf(req), req.query)),
  );

  app.get(
    "/calls/:id",
    {
      config: { access: "signed_in" },
      schema: { tags, summary: "One call", params, response: { 200: callOut, 404: errorSchema } },
    },
    async (req) =>
      scoped(req, async (scope) => presentCall(scope, await loadCall(scope, viewerOf(req), req.params.id))),
  );

  // Answering and declining are both a rung agent's move on a waiting call; only the move differs.
  const ringingMove = (path: `/calls/:id/${string}`, summary: string, move: typeof answerCall) =>
    app.post(
      path,
      {
        config: { access: "calls.answer" },
        schema: { tags, summary, params, response: { 200: callOut, ...errors } },
      },
      async (req) => scoped(req, (scope) => move(scope, viewerOf(req), req.params.id)),
    );
  ringingMove("/calls/:id/answer", "Answer a waiting call (409 if someone else did)", answerCall);
  ringingMove(
    "/calls/:id/decline",
    "Stop a call ringing for me; it stays queued for the others",
    declineCall,
  );

  app.post(
    "/calls/:id/end",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Hang up, with this browser's call statistics for the quality score",
        params,
        body: z.strictObject({ stats: callStatsSchema.optional() }).nullish(),
        response: { 200: callOut, ...errors },
      },
    },
    async (req) => scoped(req, (scope) => endCall(scope, viewerOf(req), req.params.id, req.body?.stats)),
  );

  callRecordingRoutes(app);
}
