import { and, eq, exists, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { ConversationKind } from "../../../protocol/enums";
import { can, isStaff, type Role } from "../../../protocol/roles";
import { conversations, participants, tickets } from "../../db/schema";

export interface Viewer {
  id: string;
  role: Role;
}

type Row = typeof conversations.$inferSelect;
type Participation = { role: string } | undefined;

const isParticipant = (viewer: Viewer) =>
  exists(
    sql`(select 1 from ${participants} where ${participants.conversationId} = ${conversations.id} and ${participants.userId} = ${viewer.id} and ${participants.leftAt} is null)`,
  );

/**
 * Which conversations a person may see, as a query filter: what they may not see is simply not found.
 * Customers: their own support chats and tickets, and the groups they are in. Agents: what is assigned to them, what
 * they take part in, the support queue and every ticket's thread (tickets are worked by all staff). Team leads and above: every conversation of the tenant except other
 * people's internal team channels; tenant-to-platform threads only for admins.
 */
export function visibleTo(viewer: Viewer): SQL {
  if (viewer.role === "customer") {
    return or(
      and(inArray(conversations.kind, ["support", "ticket"]), eq(conversations.customerId, viewer.id)),
      and(eq(conversations.kind, "group"), isParticipant(viewer)),
    )!;
  }
  const platform = can(viewer.role, "platform.support")
    ? eq(conversations.kind, "platform_support")
    : sql`false`;
  if (can(viewer.role, "chats.all")) {
    return or(inArray(conversations.kind, ["support", "group", "ticket"]), isParticipant(viewer), platform)!;
  }
  return or(
    eq(conversations.kind, "ticket"),
    // A chat converted into a ticket is the ticket's thread: everyone who works tickets reads it.
    exists(sql`(select 1 from ${tickets} where ${tickets.conversationId} = ${conversations.id})`),
    eq(conversations.assigneeId, viewer.id),
    isParticipant(viewer),
    and(
      eq(conversations.kind, "support"),
      eq(conversations.status, "queued"),
      isNull(conversations.assigneeId),
    ),
  )!;
}

export const conversationPolicy = {
  /** Who may start which kind. */
  start: (role: Role, kind: ConversationKind) =>
    kind === "ticket"
      ? false
      : kind === "support"
        ? role === "customer" || can(role, "chats.outbound")
        : kind === "platform_support"
          ? can(role, "platform.support")
          : isStaff(role) && can(role, "team.chat"),
  /** Writing: customers in their own chat, staff who hold it, take part in it, or may reassign it. */
  write: (viewer: Viewer, c: Row, p: Participation) => {
    if (c.status === "archived") return false;
    const member = !!p && p.role !== "observer";
    if (viewer.role === "customer") return c.customerId === viewer.id || (c.kind === "group" && member);
    if (c.kind === "ticket") return can(viewer.role, "tickets.work");
    return c.assigneeId === viewer.id || member || can(viewer.role, "chats.reassign");
  },
  internalNote: (viewer: Viewer) => can(viewer.role, "chats.internal"),
  changeStatus: (viewer: Viewer, c: Row) =>
    isStaff(viewer.role) && (c.assigneeId === viewer.id || can(viewer.role, "chats.reassign")),
  close: (viewer: Viewer, c: Row) =>
    viewer.role === "customer" ? c.customerId === viewer.id : conversationPolicy.changeStatus(viewer, c),
  /** Staff who see it escalate; a customer may escalate a group they are in. */
  escalate: (viewer: Viewer, c: Row) => viewer.role !== "customer" || c.kind === "group",
  rate: (viewer: Viewer, c: Row) =>
    c.customerId === viewer.id && (c.status === "resolved" || c.status === "closed"),
};
