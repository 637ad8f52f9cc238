import type { ConversationKind, ConversationStatus, ParticipantRole, Priority } from "./enums";

export interface PersonRef {
  id: string;
  name: string;
  email?: string;
}

export interface Conversation {
  id: string;
  number: number;
  kind: ConversationKind;
  status: ConversationStatus;
  subject: string | null;
  priority: Priority;
  contextId: string | null;
  customer: PersonRef | null;
  assignee: PersonRef | null;
  teamId: string | null;
  participants: Array<{ userId: string; name: string; role: ParticipantRole; lastReadSeq: number }>;
  unreadCount: number;
  /** While the support chat waits in the queue: its place in line. */
  queuePosition: QueuePosition | null;
  lastSeq: number;
  lastMessageAt: string | null;
  queuedAt: string | null;
  /** When its current assignee got it. */
  assignedAt: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  rating: number | null;
  feedback: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A waiting customer's place in line; the expected wait is null while nobody who could answer is online. */
export interface QueuePosition {
  conversationId: string;
  position: number;
  waitingSeconds: number;
  expectedWaitSeconds: number | null;
}
