import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { CallStatus } from "../../../protocol/enums";
import { attachments } from "./attachments";
import { conversations } from "./conversations";
import { tenants } from "./tenants";
import { users } from "./users";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * A browser voice call: the audio goes peer to peer (or through TURN); the server queues and signals it and keeps
 * its facts and score.
 */
export const calls = pgTable(
  "calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    status: text("status").$type<CallStatus>().notNull(),
    customerId: uuid("customer_id").references(() => users.id, { onDelete: "set null" }),
    agentId: uuid("agent_id").references(() => users.id, { onDelete: "set null" }),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    queuedAt: at("queued_at").notNull(),
    ringingAt: at("ringing_at"),
    answeredAt: at("answered_at"),
    endedAt: at("ended_at"),
    /** From answer to end, in whole seconds. */
    durationSeconds: integer("duration_seconds"),
    /** 1–5, estimated from both sides' getStats() summaries. */
    quality: real("quality"),
    poorQuality: boolean("poor_quality").notNull().default(false),
    /** Each party's reported summary, keyed "customer" and "agent". */
    stats: jsonb("stats").$type<Record<string, unknown>>().notNull().default({}),
    endReason: text("end_reason"),
    endedBy: uuid("ended_by"),
    /** When the customer was told the call may be recorded; recording cannot start before. */
    recordingNoticeAt: at("recording_notice_at"),
    recordingId: uuid("recording_id").references(() => attachments.id, { onDelete: "set null" }),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("calls_waiting").on(t.tenantId, t.queuedAt).where(sql`${t.status} in ('queued', 'ringing')`),
    index("calls_agent_active").on(t.tenantId, t.agentId).where(sql`${t.status} = 'active'`),
    index("calls_tenant_created").on(t.tenantId, t.createdAt),
    index("calls_customer").on(t.tenantId, t.customerId),
  ],
);
