import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { resolveSettings } from "../../../protocol/settings";
import { apiPrefix } from "../../api-prefix";
import { attachments, tenants } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { deleteAttachmentFiles, fileContext, newStorageKey, seal, writeStoredFile } from "./storage";
import type { UploadView } from "./uploads.schema";

/** The tenant's upload limit in bytes (settings.maxUploadMb). */
export async function uploadLimit(scope: Scope, tenantId: string): Promise<number> {
  const [tenant] = await scope.tx
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return resolveSettings(tenant?.settings).maxUploadMb * 1024 * 1024;
}

export const presentUpload = (row: { id: string; name: string; mime: string; size: number }): UploadView => ({
  id: row.id,
  name: row.name,
  mime: row.mime,
  size: row.size,
  url: `${apiPrefix}/uploads/${row.id}`,
});

export interface CreateUploadInput {
  tenantId: string;
  uploaderId: string;
  /** Already sanitised and checked against the content. */
  name: string;
  mime: string;
  bytes: Buffer;
  dataDir: string;
  key: Buffer;
  /** Chosen by the caller when it links the file to something else in the same transaction (a call's recording). */
  id?: string;
}

/**
 * Encrypts and writes the file, then records it (with its audit entry) in one transaction. The file is written
 * first so that a row never points at nothing; if recording fails, the file is removed again. Until a message
 * links it, only its uploader may fetch it.
 */
export async function createUpload(
  inScope: <T>(fn: (scope: Scope) => Promise<T>) => Promise<T>,
  input: CreateUploadInput,
): Promise<UploadView> {
  const id = input.id ?? randomUUID();
  const storageKey = newStorageKey();
  const sealed = seal(input.bytes, input.key, fileContext(input.tenantId, id));
  await writeStoredFile(input.dataDir, storageKey, sealed.ciphertext);
  const row = {
    id,
    tenantId: input.tenantId,
    uploaderId: input.uploaderId,
    name: input.name,
    mime: input.mime,
    size: input.bytes.length,
    storageKey,
    iv: sealed.iv,
    tag: sealed.tag,
  };
  try {
    await inScope(async (scope) => {
      await scope.tx.insert(attachments).values(row);
      // The audit trail names the file, never its content.
      await recordActivity(scope, {
        action: "upload.created",
        subjectType: "attachment",
        subjectId: id,
        newValue: { name: row.name, mime: row.mime, size: row.size },
      });
    });
  } catch (err) {
    await deleteAttachmentFiles([storageKey], input.dataDir);
    throw err;
  }
  return presentUpload(row);
}
