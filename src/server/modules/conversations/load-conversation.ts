import { and, eq } from "drizzle-orm";
import { conversations, participants } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { type Viewer, visibleTo } from "./conversation.policy";

type Row = typeof conversations.$inferSelect;

async function participationOf(scope: Scope, conversationId: string, userId: string) {
  const [p] = await scope.tx
    .select()
    .from(participants)
    .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId)));
  return p && !p.leftAt ? p : undefined;
}

/** The conversation if the viewer may see it; otherwise "not found", never "forbidden". */
export async function loadConversation(scope: Scope, viewer: Viewer, id: string) {
  const [row] = await scope.tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), visibleTo(viewer)));
  if (!row) throw notFound("conversation");
  return { row, participation: await participationOf(scope, id, viewer.id) };
}

/** The same, with the conversation's row locked until the transaction ends: for changes. */
export async function loadConversationForUpdate(
  scope: Scope,
  viewer: Viewer,
  id: string,
): Promise<{ row: Row; participation: Awaited<ReturnType<typeof participationOf>> }> {
  const [row] = await scope.tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), visibleTo(viewer)))
    .for("update", { of: conversations });
  if (!row) throw notFound("conversation");
  return { row, participation: await participationOf(scope, id, viewer.id) };
}
