import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type {
  ConversationKind,
  ConversationStatus,
  MaskKind,
  ParticipantRole,
  Priority,
  SenderType,
} from "../../../protocol/enums";
import { teams } from "./teams";
import { tenants } from "./tenants";
import { users } from "./users";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Per tenant, gap-free, for people to quote ("chat #1234"). */
    number: integer("number").notNull(),
    kind: text("kind").$type<ConversationKind>().notNull(),
    status: text("status").$type<ConversationStatus>().notNull(),
    customerId: uuid("customer_id").references(() => users.id, { onDelete: "set null" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    subject: text("subject"),
    priority: text("priority").$type<Priority>().notNull().default("normal"),
    /** What a group conversation is about, in the system that owns it (an order, a case…). */
    contextId: text("context_id"),
    /** The last message's seq; the next message takes lastSeq + 1 under the row lock. */
    lastSeq: integer("last_seq").notNull().default(0),
    lastMessageAt: at("last_message_at"),
    queuedAt: at("queued_at"),
    assignedAt: at("assigned_at"),
    firstResponseAt: at("first_response_at"),
    /** The chat waited past the tenant's first-response target: flagged, moved up the queue, its lead told. */
    responseOverdueAt: at("response_overdue_at"),
    /** The customer was told automatically that nobody is available (outside business hours or nobody online). */
    autoRepliedAt: at("auto_replied_at"),
    escalatedAt: at("escalated_at"),
    resolvedAt: at("resolved_at"),
    closedAt: at("closed_at"),
    archivedAt: at("archived_at"),
    rating: integer("rating"),
    feedback: text("feedback"),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('simple', coalesce(subject, ''))`),
  },
  (t) => [
    uniqueIndex("conversations_tenant_number").on(t.tenantId, t.number),
    index("conversations_tenant_status").on(t.tenantId, t.status, t.lastMessageAt),
    index("conversations_assignee").on(t.tenantId, t.assigneeId, t.status),
    index("conversations_customer").on(t.tenantId, t.customerId),
    index("conversations_queue").on(t.tenantId, t.queuedAt).where(sql`${t.status} = 'queued'`),
    index("conversations_search").using("gin", t.search),
    index("conversations_tenant_created").on(t.tenantId, t.createdAt),
  ],
);

export const participants = pgTable(
  "participants",
  {
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    role: text("role").$type<ParticipantRole>().notNull(),
    lastReadSeq: integer("last_read_seq").notNull().default(0),
    /** Offline-mail batching: the highest seq already announced to this person by email. */
    notifiedSeq: integer("notified_seq").notNull().default(0),
    joinedAt: at("joined_at").notNull().defaultNow(),
    leftAt: at("left_at"),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index("participants_user").on(t.tenantId, t.userId),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** Chosen by the sender's client; a retry with the same one returns the first message. */
    clientId: text("client_id"),
    senderId: uuid("sender_id").references(() => users.id, { onDelete: "set null" }),
    senderType: text("sender_type").$type<SenderType>().notNull(),
    senderName: text("sender_name").notNull(),
    /** Already masked: the unmasked text is never stored. */
    body: text("body").notNull(),
    masked: text("masked").array().$type<MaskKind[]>().notNull().default(sql`'{}'::text[]`),
    internal: boolean("internal").notNull().default(false),
    /** Staff named with @ in the message, for their Mentions view. */
    mentions: uuid("mentions").array().$type<string[]>().notNull().default(sql`'{}'::uuid[]`),
    createdAt: at("created_at").notNull().defaultNow(),
    editedAt: at("edited_at"),
    search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('simple', body)`),
  },
  (t) => [
    uniqueIndex("messages_conversation_seq").on(t.conversationId, t.seq),
    uniqueIndex("messages_sender_client").on(t.senderId, t.clientId),
    index("messages_search").using("gin", t.search),
    index("messages_tenant_created").on(t.tenantId, t.createdAt),
    index("messages_mentions").using("gin", t.mentions),
  ],
);

/** Gap-free per-tenant numbers (conversations, tickets): the row lock orders concurrent takers. */
export const counters = pgTable(
  "counters",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    value: integer("value").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);
