import { inArray } from "drizzle-orm";
import type { AttachmentView, MessageView } from "../../../protocol/events";
import { apiPrefix } from "../../api-prefix";
import { attachments, type messages } from "../../db/schema";
import type { Scope } from "../../lib/scope";

type Row = typeof messages.$inferSelect;
export type FileRow = Pick<typeof attachments.$inferSelect, "id" | "name" | "mime" | "size">;

export const presentFile = (f: FileRow): AttachmentView => ({
  id: f.id,
  name: f.name,
  mime: f.mime,
  size: f.size,
  url: `${apiPrefix}/uploads/${f.id}`,
});

/** One message with the files it carries (already known, e.g. just linked to it). */
export function presentMessage(r: Row, files: FileRow[] = []): MessageView {
  return {
    id: r.id,
    conversationId: r.conversationId,
    seq: r.seq,
    clientId: r.clientId,
    sender: { id: r.senderId, name: r.senderName, type: r.senderType },
    body: r.body,
    internal: r.internal,
    attachments: files.map(presentFile),
    masked: r.masked,
    createdAt: r.createdAt.toISOString(),
    editedAt: r.editedAt?.toISOString() ?? null,
  };
}

/** Stored messages, their files read in one query. */
export async function presentMessages(scope: Scope, rows: Row[]): Promise<MessageView[]> {
  const ids = rows.map((r) => r.id);
  const files = ids.length
    ? await scope.tx
        .select({
          id: attachments.id,
          messageId: attachments.messageId,
          name: attachments.name,
          mime: attachments.mime,
          size: attachments.size,
        })
        .from(attachments)
        .where(inArray(attachments.messageId, ids))
    : [];
  return rows.map((r) =>
    presentMessage(
      r,
      files.filter((f) => f.messageId === r.id),
    ),
  );
}
