import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Availability } from "../../../protocol/enums";
import type { Role } from "../../../protocol/roles";
import { conversations, participants, users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { recordActivity } from "../audit/record-activity";
import { announceConversation, announceMessage } from "../conversations/conversation.events";
import { type Appended, appendMessage, postSystemMessage } from "../messages/append-message";
import { presentMessage } from "../messages/message.presenter";
import { tenantSettings } from "../settings/tenant-settings";
import { inQueue, queueOrder } from "./queue-order";

type ConversationRow = typeof conversations.$inferSelect;

/** Conversations that count against an agent's maxChats. */
export const activeChatStatuses = ["open", "pending", "escalated"] as const;

/** Who automatic assignment gives chats to: the front line. Supervisors and admins pick up by hand. */
export const routedRoles = ["agent", "team_lead"] as const satisfies readonly Role[];

/** Front-line staff, active, in one of these availabilities: as a filter on users. */
export const frontLine = (availability: Availability[] = ["online"]) =>
  and(
    inArray(users.role, [...routedRoles]),
    eq(users.status, "active"),
    inArray(users.availability, availability),
  );

/**
 * Every routing decision of a tenant (automatic assignment, pickup, transfer, reassignment, draining the queue)
 * holds this lock until its transaction ends, on every server process: loads are counted and chats handed out one
 * decision at a time, so nobody goes over capacity and no chat goes to two people.
 * Lock order, so that no two transactions wait on each other: a conversation's row first, then this lock, then the
 * audit trail's (so take this one before recording anything); staff rows only under it. The drain skips queued
 * chats someone else has locked (the periodic drain comes back).
 */
export async function lockRouting(scope: Scope): Promise<void> {
  await scope.tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`routing:${scope.tenantId}`}, 0))`,
  );
}

export async function openChatCounts(scope: Scope, agentIds: string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map();
  const rows = await scope.tx
    .select({ id: conversations.assigneeId, n: count() })
    .from(conversations)
    .where(
      and(
        inArray(conversations.assigneeId, agentIds),
        eq(conversations.kind, "support"),
        inArray(conversations.status, [...activeChatStatuses]),
      ),
    )
    .groupBy(conversations.assigneeId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

/** One person's open chats, for a capacity check under the routing lock. */
export async function openChatsOf(scope: Scope, agentId: string): Promise<number> {
  return (await openChatCounts(scope, [agentId])).get(agentId) ?? 0;
}

export type AssignHow = "routed" | "picked_up" | "assigned" | "transferred";

/**
 * Gives a chat to a staff member: they join it, the thread says so, the conversation becomes theirs (and open if
 * it was queued), the trail records how, and everyone concerned hears of it after commit. The caller holds the
 * routing lock and has checked capacity and permission. A note goes into the thread as an internal note.
 */
export async function assignTo(
  scope: Scope,
  row: ConversationRow,
  agent: { id: string; name: string },
  how: AssignHow,
  note?: { by: { id: string; name: string }; text: string },
): Promise<ConversationRow> {
  const now = new Date();
  await scope.tx
    .insert(participants)
    .values({ conversationId: row.id, userId: agent.id, tenantId: row.tenantId, role: "agent" })
    .onConflictDoUpdate({
      target: [participants.conversationId, participants.userId],
      set: { leftAt: null, role: "agent" },
    });
  await scope.tx.update(users).set({ lastAssignedAt: now }).where(eq(users.id, agent.id));
  const text = row.assigneeId
    ? `The chat was transferred to ${agent.name}.`
    : `${agent.name} joined the chat.`;
  let conversation = await postSystemMessage(scope, row, text, {
    assigneeId: agent.id,
    assignedAt: now,
    status: row.status === "queued" ? "open" : row.status,
  });
  await recordActivity(scope, {
    action: `conversation.${how}`,
    subjectType: "conversation",
    subjectId: row.id,
    oldValue: { assigneeId: row.assigneeId, status: row.status },
    newValue: { assigneeId: agent.id, status: conversation.status },
    metadata: note ? { note: note.text } : {},
  });
  if (note) conversation = await postNote(scope, conversation, note.by, note.text);
  await announceConversation(scope, conversation, "conversation:assigned");
  scope.afterCommit(() => {
    scope.realtime?.join(rooms.user(agent.id), rooms.conversation(row.id));
    scope.realtime?.join(rooms.user(agent.id), rooms.conversationStaff(row.id));
  });
  if (row.status === "queued") queueChanged(scope);
  return conversation;
}

/** A note for staff only, in the thread (a transfer's reason): an internal note from its author. */
export async function postNote(
  scope: Scope,
  row: ConversationRow,
  by: { id: string; name: string },
  text: string,
): Promise<ConversationRow> {
  const appended = (await appendMessage(scope, row, {
    senderId: by.id,
    senderType: "staff",
    senderName: by.name,
    body: text,
    internal: true,
  })) as Appended;
  announceMessage(scope, presentMessage(appended.message), appended.members);
  return appended.conversation;
}

/** After commit, the tenant's waiting customers and staff hear the queue's new order. */
export function queueChanged(scope: Scope): void {
  const tenantId = scope.tenantId;
  if (tenantId) scope.afterCommit(() => scope.services?.queue?.changed(tenantId));
}

interface Candidate {
  id: string;
  name: string;
  teamId: string | null;
  maxChats: number;
  load: number;
  lastAssignedAt: Date | null;
}

/** Fewest open chats first; among equals, whoever has waited longest since their last assignment. */
function better(a: Candidate, b: Candidate): boolean {
  if (a.load !== b.load) return a.load < b.load;
  const at = a.lastAssignedAt?.getTime() ?? 0;
  const bt = b.lastAssignedAt?.getTime() ?? 0;
  return at !== bt ? at < bt : a.id < b.id;
}

/** Staff automatic assignment may give chats to now: routed roles, active, online, with room. */
async function candidates(scope: Scope): Promise<Candidate[]> {
  const online = await scope.tx
    .select({
      id: users.id,
      name: users.name,
      teamId: users.teamId,
      maxChats: users.maxChats,
      lastAssignedAt: users.lastAssignedAt,
    })
    .from(users)
    .where(frontLine());
  const loads = await openChatCounts(
    scope,
    online.map((u) => u.id),
  );
  return online.map((u) => ({ ...u, load: loads.get(u.id) ?? 0 })).filter((u) => u.load < u.maxChats);
}

/**
 * Hands out queued chats while someone has room: in queue order, each to the best available agent (of the chat's
 * team when it has one). Called wherever room may have appeared or a chat joined the queue; does nothing when the
 * tenant assigns by hand. Returns how many chats were assigned.
 */
export async function drainQueue(scope: Scope): Promise<number> {
  if (!(await tenantSettings(scope)).autoAssignment) return 0;
  await lockRouting(scope);
  const pool = await candidates(scope);
  let room = pool.reduce((n, c) => n + c.maxChats - c.load, 0);
  if (!room) return 0;
  let assigned = 0;
  // More than `room` chats may be needed when team chats cannot use the room that is free; pages of the queue are
  // read in order until the room is used or the queue ends.
  const page = Math.max(room, 50);
  // Assigned chats leave the queue; only the ones nobody could take are passed over on the next page.
  let passedOver = 0;
  while (room > 0) {
    const waiting = await scope.tx
      .select()
      .from(conversations)
      .where(inQueue)
      .orderBy(...queueOrder)
      .limit(page)
      .offset(passedOver)
      .for("update", { skipLocked: true });
    for (const chat of waiting) {
      let best: Candidate | undefined;
      for (const c of pool) {
        if (c.load >= c.maxChats || (chat.teamId && c.teamId !== chat.teamId)) continue;
        if (!best || better(c, best)) best = c;
      }
      if (!best) {
        passedOver++;
        continue;
      }
      await assignTo(scope, chat, best, "routed");
      best.load++;
      best.lastAssignedAt = new Date();
      room--;
      assigned++;
      if (!room) break;
    }
    if (waiting.length < page) break;
  }
  return assigned;
}

/**
 * A support chat that comes back (reopened, or the customer wrote again after it was resolved): to its agent if
 * they are still active and have room, otherwise to the queue. Other kinds of conversation simply open.
 */
export async function comeBack(
  scope: Scope,
  row: ConversationRow,
): Promise<Partial<typeof conversations.$inferInsert>> {
  if (row.kind !== "support") return { status: "open" };
  if (row.assigneeId) {
    await lockRouting(scope);
    const [agent] = await scope.tx
      .select({ status: users.status, maxChats: users.maxChats })
      .from(users)
      .where(eq(users.id, row.assigneeId));
    const load = await openChatsOf(scope, row.assigneeId);
    if (agent?.status === "active" && load < agent.maxChats) return { status: "open" };
  }
  return { status: "queued", assigneeId: null, assignedAt: null, queuedAt: new Date() };
}

/**
 * After a chat's status changed: the queue moves if the chat entered or left it, and freed room is used. Returns
 * the chat as it is afterwards (routing may have given it to someone).
 */
export async function afterStatusChange(
  scope: Scope,
  before: ConversationRow,
  after: ConversationRow,
): Promise<ConversationRow> {
  if (after.kind !== "support") return after;
  if (before.status === "queued" || after.status === "queued") queueChanged(scope);
  const held = (c: ConversationRow) =>
    !!c.assigneeId && (activeChatStatuses as readonly string[]).includes(c.status);
  const freed = held(before) && !(held(after) && after.assigneeId === before.assigneeId);
  if (!(freed || after.status === "queued") || !(await drainQueue(scope))) return after;
  const [fresh] = await scope.tx.select().from(conversations).where(eq(conversations.id, after.id));
  return fresh!;
}
