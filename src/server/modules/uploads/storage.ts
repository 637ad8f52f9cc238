import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Uploaded bytes at rest: AES-256-GCM under a key derived from SESSION_SECRET, one random IV per file, stored
 * under a random name in DATA_DIR/uploads (never under the web root). The IV and the authentication tag live in
 * the attachments row, so the file on disk alone is useless, and a file changed on disk fails to decrypt.
 */

const keyInfo = "switchboard uploads v1";
const storageKeyPattern = /^[0-9a-f]{32}$/;

export interface Sealed {
  ciphertext: Buffer;
  iv: string;
  tag: string;
}

/** A key of its own for uploads, so that no other use of the session secret can ever share it. */
export function uploadKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sessionSecret, Buffer.alloc(0), keyInfo, 32));
}

/**
 * `context` is bound into the tag as additional data: a file copied over another attachment's file on disk,
 * or into another tenant, fails to decrypt instead of being served under the wrong row.
 */
export function seal(plaintext: Buffer, key: Buffer, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64") };
}

/** Throws when the bytes, the IV, the tag or the context do not match: nothing unverified comes out. */
export function open(sealed: Sealed, key: Buffer, context: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** What each file's tag is bound to: its own row in its own tenant. */
export const fileContext = (tenantId: string, attachmentId: string) =>
  `attachment:${tenantId}:${attachmentId}`;

export const uploadsDir = (dataDir: string) => join(dataDir, "uploads");

export const newStorageKey = () => randomBytes(16).toString("hex");

/** Only names we generated map to a path, so a bad row can never point outside the uploads folder. */
function pathOf(dataDir: string, storageKey: string): string {
  if (!storageKeyPattern.test(storageKey)) throw new Error("invalid storage key");
  return join(uploadsDir(dataDir), storageKey);
}

export async function writeStoredFile(dataDir: string, storageKey: string, bytes: Buffer): Promise<void> {
  await mkdir(uploadsDir(dataDir), { recursive: true, mode: 0o700 });
  // "wx": a name collision (or a race) fails instead of overwriting someone else's file.
  await writeFile(pathOf(dataDir, storageKey), bytes, { flag: "wx", mode: 0o600 });
}

export function readStoredFile(dataDir: string, storageKey: string): Promise<Buffer> {
  return readFile(pathOf(dataDir, storageKey));
}

/**
 * Removes stored files (retention, erasure, a failed upload). Files already gone count as removed, so a job
 * that stopped half-way can simply run again; keys that are not ours are skipped. Returns how many were valid.
 */
export async function deleteAttachmentFiles(storageKeys: Iterable<string>, dataDir: string): Promise<number> {
  let removed = 0;
  for (const key of storageKeys) {
    if (!storageKeyPattern.test(key)) continue;
    await rm(pathOf(dataDir, key), { force: true });
    removed++;
  }
  return removed;
}
