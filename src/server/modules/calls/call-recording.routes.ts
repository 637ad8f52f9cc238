import { randomUUID } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Call } from "../../../protocol/call";
import { errorSchema } from "../../../protocol/schemas";
import { callerOf, scoped } from "../../lib/deps";
import { notFound } from "../../lib/errors";
import type { App } from "../../lib/http";
import { createUpload } from "../uploads/create-upload";
import { multipartRoutes, receiveFile } from "../uploads/receive-upload";
import { sendStoredFile } from "../uploads/send-stored-file";
import { uploadKey } from "../uploads/storage";
import { callErrors as errors, callParams as params, callTags as tags, viewerOf } from "./call-http";
import { giveRecordingNotice, linkRecording, loadRecording, recordableCall } from "./call-recording";
import { checkRecordingType } from "./call-recording-audio";

/** A call is always a tenant's; without one (a super admin naming none) there is no call to find. */
const tenantOf = (req: FastifyRequest, id: string) => {
  const { tenantId } = callerOf(req);
  if (!tenantId) throw notFound("call");
  return { tenantId, id };
};

/** Telling the customer, uploading the recording (after the call, or as it ends) and playing it back. */
export function callRecordingRoutes(app: App) {
  app.post(
    "/calls/:id/recording/notice",
    {
      config: { access: "calls.answer" },
      schema: {
        tags,
        summary: "Tell the customer this call will be recorded (the agent, where the tenant records calls)",
        params,
        response: { 200: z.custom<Call>(), ...errors },
      },
    },
    async (req) => scoped(req, (scope) => giveRecordingNotice(scope, viewerOf(req), req.params.id)),
  );

  app.get(
    "/calls/:id/recording",
    {
      // Staff only: customers never hear recordings, not even of their own calls.
      config: { access: "calls.answer" },
      schema: {
        tags,
        summary: "Play a call's recording (its agent, team leads and above); supports Range for seeking",
        params,
        response: { 200: z.custom<Buffer>().describe("the audio, decrypted"), ...errors },
      },
    },
    async (req, reply) => {
      const { tenantId, id } = tenantOf(req, req.params.id);
      const file = await scoped(req, (scope) => loadRecording(scope, viewerOf(req), id));
      return sendStoredFile(req, reply, tenantId, file);
    },
  );

  multipartRoutes(app, (files) => {
    files.post(
      "/calls/:id/recording",
      {
        config: { access: "calls.answer" },
        schema: {
          tags,
          summary:
            "Upload the call's recording (its agent, after telling the customer; multipart audio in the field " +
            "`file`, at most the tenant's maxUploadMb; stored encrypted; one per call)",
          consumes: ["multipart/form-data"],
          params,
          response: { 201: z.custom<Call>(), ...errors, 413: errorSchema, 415: errorSchema },
        },
      },
      async (req, reply) => {
        const { tenantId, id } = tenantOf(req, req.params.id);
        const viewer = viewerOf(req);
        // Refused before the body is read, in a short transaction: none stays open while the browser sends.
        const { maxBytes } = await scoped(req, (scope) => recordableCall(scope, viewer, id));
        const received = await receiveFile(req, maxBytes);
        const format = await checkRecordingType(received.claimedType, received.bytes);
        const fileId = randomUUID();
        let view: Call | undefined;
        const { dataDir, sessionSecret } = req.server.deps.config;
        await createUpload(
          // The file's row and the call's link commit together; checked again under the call's lock, so a second
          // upload racing this one gets 409 and its file is removed.
          (fn) =>
            scoped(req, async (scope) => {
              const { call } = await recordableCall(scope, viewer, id);
              const out = await fn(scope);
              view = await linkRecording(scope, call, {
                id: fileId,
                mime: format.mime,
                size: received.bytes.length,
              });
              return out;
            }),
          {
            id: fileId,
            tenantId,
            uploaderId: viewer.id,
            name: `call-recording-${id}.${format.ext}`,
            mime: format.mime,
            bytes: received.bytes,
            dataDir,
            key: uploadKey(sessionSecret),
          },
        );
        return reply.status(201).send(view!);
      },
    );
  });
}
