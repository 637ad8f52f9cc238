import { z } from "zod";
import {
  type Call,
  type CallQueuePosition,
  callSignalSchema,
  type QueuedCall,
  type RelayedSignal,
} from "./call";
import type { Conversation, QueuePosition } from "./conversation";
import type { Ticket } from "./ticket";

export type { QueuePosition };

import type { Availability, MaskKind, Priority, SenderType } from "./enums";

export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string | null;
  sender: { id: string | null; name: string; type: SenderType };
  body: string;
  internal: boolean;
  attachments: AttachmentView[];
  masked: MaskKind[];
  createdAt: string;
  editedAt: string | null;
}

export interface AttachmentView {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
}

export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** Client → server payloads, validated by the server before anything happens. */
export const clientEvents = {
  "conversation:join": z.strictObject({
    conversationId: z.uuid(),
    /** The highest seq the client already has; the ack carries everything after it. */
    afterSeq: z.number().int().min(0).optional(),
  }),
  "conversation:leave": z.strictObject({ conversationId: z.uuid() }),
  "message:send": z.strictObject({
    conversationId: z.uuid(),
    body: z.string().max(10_000),
    clientId: z.string().min(1).max(100),
    internal: z.boolean().optional(),
    attachmentIds: z.array(z.uuid()).max(10).optional(),
  }),
  "typing:start": z.strictObject({ conversationId: z.uuid() }),
  "typing:stop": z.strictObject({ conversationId: z.uuid() }),
  "message:read": z.strictObject({ conversationId: z.uuid(), seq: z.number().int().min(0) }),
  /** WebRTC signalling between a call's two parties; relayed, never stored. */
  "call:signal": callSignalSchema,
} as const;
export type ClientEventName = keyof typeof clientEvents;

type Handler<Name extends ClientEventName, Result extends object> = (
  payload: z.input<(typeof clientEvents)[Name]>,
  ack: (answer: Ack<Result>) => void,
) => void;

export interface ClientToServerEvents {
  "conversation:join": Handler<
    "conversation:join",
    { messages: MessageView[]; lastSeq: number; hasMore: boolean }
  >;
  "conversation:leave": Handler<"conversation:leave", object>;
  "message:send": Handler<"message:send", { message: MessageView; duplicate: boolean }>;
  "typing:start": Handler<"typing:start", object>;
  "typing:stop": Handler<"typing:stop", object>;
  "message:read": Handler<"message:read", { seq: number }>;
  "call:signal": Handler<"call:signal", object>;
}

export interface ServerToClientEvents {
  "message:new": (payload: { message: MessageView }) => void;
  "message:read": (payload: { conversationId: string; userId: string; seq: number }) => void;
  typing: (payload: { conversationId: string; userId: string; name: string; isTyping: boolean }) => void;
  "conversation:updated": (payload: { conversation: Conversation }) => void;
  "conversation:assigned": (payload: { conversation: Conversation }) => void;
  presence: (payload: {
    userId: string;
    availability: Availability | null;
    /** When a break ends. */
    availabilityUntil?: string | null;
    online: boolean;
    lastSeenAt: string | null;
  }) => void;
  notification: (payload: { kind: string; title: string; body: string; link: string }) => void;
  /** Staff: the queue's head in order, and how many wait in all. */
  "queue:updated": (payload: { chats: QueuedChat[]; calls: QueuedCall[]; total: number }) => void;
  /** The waiting customer: their place in line, for a chat or a call. */
  "queue:position": (payload: QueuePosition | CallQueuePosition) => void;
  /** A call rings for this agent. */
  "call:incoming": (payload: { call: Call }) => void;
  /** A call changed: its customer, its agent and everyone it rang. */
  "call:updated": (payload: { call: Call }) => void;
  /** Signalling from the other party of an active call. */
  "call:signal": (payload: RelayedSignal) => void;
  /** A ticket changed: the tenant's staff and its customer. */
  "ticket:updated": (payload: { ticket: Ticket }) => void;
}

/** A chat in the queue, as staff see it. */
export interface QueuedChat extends QueuePosition {
  number: number;
  subject: string | null;
  priority: Priority;
  teamId: string | null;
  customer: { id: string; name: string; email: string } | null;
  queuedAt: string;
  /** Waiting past the tenant's first-response target. */
  overdue: boolean;
}
