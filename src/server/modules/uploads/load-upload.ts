import { and, eq } from "drizzle-orm";
import { isStaff } from "../../../protocol/roles";
import { attachments, conversations, messages } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { type Viewer, visibleTo } from "../conversations/conversation.policy";

/**
 * The attachment if the viewer may have it, otherwise "not found" (never "forbidden": a file's existence is not
 * revealed). Attached files follow their message: the conversation must be visible to the viewer (the same
 * filter as the conversation itself), and customers never get what hangs on an internal note. A file not yet
 * attached belongs to its uploader alone.
 */
export async function loadUpload(scope: Scope, viewer: Viewer, tenantId: string, id: string) {
  const [file] = await scope.tx
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.tenantId, tenantId)));
  if (!file) throw notFound("file");
  if (!file.messageId) {
    if (file.uploaderId === viewer.id) return file;
    throw notFound("file");
  }
  const [message] = await scope.tx
    .select({ id: messages.id })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.id, file.messageId),
        visibleTo(viewer),
        isStaff(viewer.role) ? undefined : eq(messages.internal, false),
      ),
    );
  if (!message) throw notFound("file");
  return file;
}
