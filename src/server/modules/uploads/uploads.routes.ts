import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { errorSchema } from "../../../protocol/schemas";
import { callerOf, scoped } from "../../lib/deps";
import { HttpError } from "../../lib/errors";
import type { App } from "../../lib/http";
import { createUpload, uploadLimit } from "./create-upload";
import { checkFileType, previewable } from "./file-types";
import { limitLength, sanitizeFilename } from "./filename";
import { loadUpload } from "./load-upload";
import { multipartRoutes, receiveFile } from "./receive-upload";
import { sendStoredFile } from "./send-stored-file";
import { uploadKey } from "./storage";
import { downloadQuery, uploadParams, uploadSchema } from "./uploads.schema";

const tags = ["files"];

/** Files belong to a tenant; a super admin picks one with X-Tenant, as for any tenant work. */
function tenantOf(req: FastifyRequest): string {
  const { tenantId } = callerOf(req);
  if (!tenantId)
    throw new HttpError(400, "tenant_required", "Name the tenant to act in with the X-Tenant header.");
  return tenantId;
}

const viewerOf = (req: FastifyRequest) => {
  const { user } = callerOf(req);
  return { id: user.id, role: user.role };
};

export function uploadRoutes(app: App) {
  multipartRoutes(app, (files) => {
    files.post(
      "/uploads",
      {
        config: { access: "signed_in" },
        schema: {
          tags,
          summary:
            "Upload a file (multipart/form-data, one file in the field `file`), to attach to a message",
          consumes: ["multipart/form-data"],
          response: { 201: uploadSchema, 400: errorSchema, 413: errorSchema, 415: errorSchema },
        },
      },
      async (req, reply) => {
        const tenantId = tenantOf(req);
        const { dataDir, sessionSecret } = req.server.deps.config;
        // Read before the body, in a short transaction of its own: none stays open while a slow client sends.
        const maxBytes = await scoped(req, (scope) => uploadLimit(scope, tenantId));
        const received = await receiveFile(req, maxBytes);
        const checked = await checkFileType(
          sanitizeFilename(received.filename),
          received.claimedType,
          received.bytes,
        );
        const view = await createUpload((fn) => scoped(req, fn), {
          tenantId,
          uploaderId: callerOf(req).user.id,
          name: limitLength(checked.name),
          mime: checked.mime,
          bytes: received.bytes,
          dataDir,
          key: uploadKey(sessionSecret),
        });
        return reply.status(201).send(view);
      },
    );

    files.get(
      "/uploads/:id",
      {
        config: { access: "signed_in" },
        schema: {
          tags,
          summary:
            "Download a file (to those who may see the conversation it is attached to); supports Range",
          params: uploadParams,
          querystring: downloadQuery,
          // Bytes, not JSON: Fastify sends a Buffer as it is, without the serializer.
          response: {
            200: z.custom<Buffer>().describe("the file, decrypted (a single Range gets 206)"),
            404: errorSchema,
          },
        },
      },
      async (req, reply) => {
        const tenantId = tenantOf(req);
        const file = await scoped(req, (scope) => loadUpload(scope, viewerOf(req), tenantId, req.params.id));
        const inline = req.query.inline === "1" && previewable.has(file.mime);
        return sendStoredFile(req, reply, tenantId, file, inline ? "inline" : "attachment");
      },
    );
  });
}
