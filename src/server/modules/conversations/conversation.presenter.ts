import { and, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Conversation } from "../../../protocol/conversation";
import { type conversations, messages, participants, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { queuePositions } from "../routing/queue";
import type { Viewer } from "./conversation.policy";

type Row = typeof conversations.$inferSelect;

/** The conversation's JSON for REST and socket events alike, as the viewer sees it (unread counts are theirs). */
export async function presentConversations(
  scope: Scope,
  viewer: Viewer | null,
  rows: Row[],
): Promise<Conversation[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const people = await scope.tx
    .select({
      conversationId: participants.conversationId,
      userId: participants.userId,
      role: participants.role,
      lastReadSeq: participants.lastReadSeq,
      name: users.name,
    })
    .from(participants)
    .innerJoin(users, eq(users.id, participants.userId))
    .where(and(inArray(participants.conversationId, ids), isNull(participants.leftAt)));
  const refIds = [
    ...new Set(rows.flatMap((r) => [r.customerId, r.assigneeId]).filter((x): x is string => !!x)),
  ];
  const refs = refIds.length
    ? await scope.tx
        .select({ id: users.id, name: users.name, email: users.email, role: users.role })
        .from(users)
        .where(inArray(users.id, refIds))
    : [];
  const unread = viewer ? await unreadCounts(scope, viewer, rows, people) : new Map<string, number>();
  const waiting = rows.filter((r) => r.kind === "support" && r.status === "queued").map((r) => r.id);
  const places = await queuePositions(scope, waiting);
  const ref = (id: string | null, withEmail: boolean) => {
    const person = refs.find((p) => p.id === id);
    if (!person) return null;
    return withEmail
      ? { id: person.id, name: person.name, email: person.email }
      : { id: person.id, name: person.name };
  };
  const staffViewer = viewer !== null && viewer.role !== "customer";
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    kind: r.kind,
    status: r.status,
    subject: r.subject,
    priority: r.priority,
    contextId: r.contextId,
    customer: ref(r.customerId, staffViewer || viewer?.id === r.customerId),
    assignee: ref(r.assigneeId, false),
    teamId: r.teamId,
    participants: people
      .filter((p) => p.conversationId === r.id)
      .map((p) => ({ userId: p.userId, name: p.name, role: p.role, lastReadSeq: p.lastReadSeq })),
    unreadCount: unread.get(r.id) ?? 0,
    queuePosition: places.get(r.id) ?? null,
    lastSeq: r.lastSeq,
    lastMessageAt: r.lastMessageAt?.toISOString() ?? null,
    queuedAt: r.queuedAt?.toISOString() ?? null,
    assignedAt: r.assignedAt?.toISOString() ?? null,
    firstResponseAt: r.firstResponseAt?.toISOString() ?? null,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    rating: r.rating,
    feedback: r.feedback,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function presentConversation(
  scope: Scope,
  viewer: Viewer | null,
  row: Row,
): Promise<Conversation> {
  return (await presentConversations(scope, viewer, [row]))[0]!;
}

/** Messages after the viewer's read mark, not their own; customers do not count internal notes. */
async function unreadCounts(
  scope: Scope,
  viewer: Viewer,
  rows: Row[],
  people: Array<{ conversationId: string; userId: string; lastReadSeq: number }>,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  const pending = rows.filter((r) => {
    const mark = people.find((p) => p.conversationId === r.id && p.userId === viewer.id)?.lastReadSeq ?? 0;
    return r.lastSeq > mark;
  });
  if (!pending.length) return result;
  const counts = await scope.tx
    .select({ conversationId: messages.conversationId, n: count() })
    .from(messages)
    .leftJoin(
      participants,
      and(eq(participants.conversationId, messages.conversationId), eq(participants.userId, viewer.id)),
    )
    .where(
      and(
        inArray(
          messages.conversationId,
          pending.map((r) => r.id),
        ),
        gt(messages.seq, sql`coalesce(${participants.lastReadSeq}, 0)`),
        sql`${messages.senderId} is distinct from ${viewer.id}`,
        viewer.role === "customer" ? eq(messages.internal, false) : undefined,
      ),
    )
    .groupBy(messages.conversationId);
  for (const c of counts) result.set(c.conversationId, Number(c.n));
  return result;
}
