import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../../lib/errors";
import { contentDisposition } from "./filename";
import { fileContext, open, readStoredFile, uploadKey } from "./storage";

/** What serving a stored file needs from its attachments row. */
export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  storageKey: string;
  iv: string;
  tag: string;
}

/**
 * The file's bytes, decrypted and verified. Decrypted whole (files are bounded by the upload limit) so that a
 * failed tag check sends nothing at all: a missing or altered file is our fault, logged, and a plain 500.
 */
export async function decryptStoredFile(req: FastifyRequest, tenantId: string, file: StoredFile) {
  const { dataDir, sessionSecret } = req.server.deps.config;
  try {
    const ciphertext = await readStoredFile(dataDir, file.storageKey);
    return open(
      { ciphertext, iv: file.iv, tag: file.tag },
      uploadKey(sessionSecret),
      fileContext(tenantId, file.id),
    );
  } catch (err) {
    req.log.error({ err, attachmentId: file.id }, "stored file is missing or fails verification");
    throw new HttpError(500, "internal", "Something went wrong on our side.");
  }
}

/**
 * One byte range from a Range header (RFC 9110 §14): "bytes=a-b", "bytes=a-" or "bytes=-n", clamped to the file.
 * `undefined` means "send the whole file" (no header, another unit, or several ranges, which a server may ignore);
 * `null` means the range lies wholly outside the file (416).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | undefined {
  const m = header?.trim().match(/^bytes=(\d*)-(\d*)$/i);
  if (!m || (!m[1] && !m[2])) return undefined;
  if (!m[1]) {
    // The last n bytes; "bytes=-0" asks for nothing, which no file can satisfy.
    const n = Number(m[2]);
    return n > 0 && size > 0 ? { start: Math.max(0, size - n), end: size - 1 } : null;
  }
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (m[2] && Number(m[2]) < start) return undefined;
  return start < size ? { start, end } : null;
}

/**
 * Sends a stored file with the headers every download gets (never sniffed, never run, never embedded elsewhere,
 * never cached), honouring a single Range so that an `<audio>` element can seek in a recording.
 */
export async function sendStoredFile(
  req: FastifyRequest,
  reply: FastifyReply,
  tenantId: string,
  file: StoredFile,
  disposition: "attachment" | "inline" = "attachment",
) {
  const bytes = await decryptStoredFile(req, tenantId, file);
  reply
    .header("content-type", file.mime === "text/plain" ? "text/plain; charset=utf-8" : file.mime)
    .header("content-disposition", contentDisposition(disposition, file.name))
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    // Even opened in a tab, the file runs nothing and loads nothing but itself; other sites cannot embed it.
    .header(
      "content-security-policy",
      "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    )
    .header("cross-origin-resource-policy", "same-origin")
    .header("accept-ranges", "bytes");
  const range = parseRange(req.headers.range, bytes.length);
  if (range === null) {
    return reply.status(416).header("content-range", `bytes */${bytes.length}`).send(Buffer.alloc(0));
  }
  if (!range) return reply.send(bytes);
  return reply
    .status(206)
    .header("content-range", `bytes ${range.start}-${range.end}/${bytes.length}`)
    .send(bytes.subarray(range.start, range.end + 1));
}
