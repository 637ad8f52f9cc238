import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { HttpError, invalid } from "../../lib/errors";
import type { App } from "../../lib/http";

export interface ReceivedFile {
  /** As the client named it; not yet made safe. */
  filename: string;
  /** The part's Content-Type: a claim to check against the bytes, never trusted. */
  claimedType: string;
  bytes: Buffer;
}

/** Room for the multipart framing around the file, so a body clearly beyond the limit is refused unread. */
const framingAllowance = 64 * 1024;

export const tooLarge = (maxBytes: number) =>
  new HttpError(
    413,
    "too_large",
    `The file is larger than the ${Math.floor(maxBytes / (1024 * 1024))} MB this workspace allows.`,
    { maxBytes },
  );

export const notMultipart = () =>
  new HttpError(
    415,
    "unsupported_media_type",
    "Send the file as multipart/form-data, in a field named file.",
  );

const unreadable = () =>
  new HttpError(400, "validation_failed", "The multipart body could not be read.", {
    fields: { body: "is not valid multipart/form-data" },
  });

/** Reads the rest of a part we will not keep, so that the parts after it (and their problems) still arrive. */
async function discard(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream);
}

/** What the multipart reader's own errors mean for the client. */
function translate(err: unknown, maxBytes: number): unknown {
  if (err instanceof HttpError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "FST_REQ_FILE_TOO_LARGE") return tooLarge(maxBytes);
  if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT") {
    return invalid({ file: "must be exactly one file, with no other fields" });
  }
  // Anything else comes from parsing what the client sent: a broken boundary, a cut-off body.
  return unreadable();
}

/**
 * Reads exactly one file from the field "file", of at most `maxBytes`. The whole form is read before deciding, so
 * that a second file or a misnamed field is named in one clear 400. The file is held in memory (bounded by the
 * tenant's limit) because it is checked and encrypted as a whole before anything touches the disk: a refused or
 * too-large upload leaves nothing behind.
 */
export async function receiveFile(req: FastifyRequest, maxBytes: number): Promise<ReceivedFile> {
  if (!req.isMultipart()) throw notMultipart();
  if (Number(req.headers["content-length"]) > maxBytes + framingAllowance) throw tooLarge(maxBytes);

  const problems: Record<string, string> = {};
  let received: ReceivedFile | undefined;
  try {
    // Limits one above what is allowed, so "two files" is seen and named rather than cut off as a limit.
    const limits = { fileSize: maxBytes, files: 2, fields: 4, parts: 6, fieldSize: 1024, headerPairs: 20 };
    for await (const part of req.parts({ limits })) {
      if (part.type === "field") {
        problems[part.fieldname] = "is not expected: send only the file";
      } else if (part.fieldname !== "file") {
        problems[part.fieldname] = 'is not expected: send the file in a field named "file"';
        await discard(part.file);
      } else if (received) {
        problems.file = "must be exactly one file";
        await discard(part.file);
      } else {
        received = { filename: part.filename, claimedType: part.mimetype, bytes: await part.toBuffer() };
      }
    }
  } catch (err) {
    throw translate(err, maxBytes);
  }
  if (!received && !problems.file) problems.file = "is required";
  else if (received && !received.bytes.length) problems.file = "is empty";
  if (Object.keys(problems).length || !received) throw invalid(problems);
  return received;
}

/**
 * Routes that take a file, in a plugin of their own, so that multipart bodies are accepted there and nowhere else;
 * anything but a form with a file gets the uploads' own error instead of the app's "send JSON" answer.
 */
export function multipartRoutes(app: App, routes: (files: App) => void): void {
  app.register(async (instance) => {
    const files = instance.withTypeProvider<ZodTypeProvider>();
    files.removeAllContentTypeParsers();
    await files.register(multipart, { throwFileSizeLimit: true });
    files.addContentTypeParser("*", async () => {
      throw notMultipart();
    });
    routes(files);
  });
}
