import { sql } from "drizzle-orm";
import { isStaff } from "../../../protocol/roles";
import { participants } from "../../db/schema";
import { invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import type { Viewer } from "../conversations/conversation.policy";
import { loadConversation } from "../conversations/load-conversation";

/** Marks everything up to `seq` read for the viewer (never backwards) and tells the conversation. */
export async function markRead(
  scope: Scope,
  viewer: Viewer,
  conversationId: string,
  seq: number,
): Promise<number> {
  const { row, participation } = await loadConversation(scope, viewer, conversationId);
  if (seq > row.lastSeq) throw invalid({ seq: `must be at most ${row.lastSeq}` });
  const [mark] = await scope.tx
    .insert(participants)
    .values({
      conversationId: row.id,
      userId: viewer.id,
      tenantId: row.tenantId,
      // Staff who only read a conversation follow it as observers; that gives them no right to write.
      role: participation?.role ?? (isStaff(viewer.role) ? "observer" : "customer"),
      lastReadSeq: seq,
    })
    .onConflictDoUpdate({
      target: [participants.conversationId, participants.userId],
      set: { lastReadSeq: sql`greatest(${participants.lastReadSeq}, ${seq})` },
    })
    .returning({ lastReadSeq: participants.lastReadSeq });
  const readSeq = mark!.lastReadSeq;
  if (readSeq > (participation?.lastReadSeq ?? 0)) {
    scope.afterCommit(() =>
      scope.realtime?.emit(rooms.conversation(row.id), "message:read", {
        conversationId: row.id,
        userId: viewer.id,
        seq: readSeq,
      }),
    );
  }
  return readSeq;
}
