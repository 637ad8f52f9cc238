import { sql } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { TicketCategory, TicketPriority, TicketStatus } from "../../../protocol/enums";
import { conversations } from "./conversations";
import { teams } from "./teams";
import { tenants } from "./tenants";
import { users } from "./users";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** A ticket: a tracked request with a number, a category, a service level and a thread (its conversation). */
export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Per tenant, gap-free: shown as TKT-000001. */
    number: integer("number").notNull(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id").references(() => users.id, { onDelete: "set null" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    /** Already masked, like everything a person types. */
    subject: text("subject").notNull(),
    description: text("description").notNull(),
    category: text("category").$type<TicketCategory>().notNull(),
    priority: text("priority").$type<TicketPriority>().notNull(),
    status: text("status").$type<TicketStatus>().notNull(),
    /** How the ticket came to be: a form, a chat converted by hand, or a chat's first message. */
    source: text("source").$type<"form" | "chat" | "auto">().notNull().default("form"),
    rating: integer("rating"),
    feedback: text("feedback"),
    ratedAt: at("rated_at"),
    firstResponseDueAt: at("first_response_due_at"),
    /** The resolution target ("sla_due_at"); moved later by the time spent waiting on the customer. */
    slaDueAt: at("sla_due_at"),
    /** Set while the ticket waits on the customer: the service-level clock is stopped. */
    slaPausedAt: at("sla_paused_at"),
    slaPausedSeconds: integer("sla_paused_seconds").notNull().default(0),
    slaBreachedAt: at("sla_breached_at"),
    firstResponseAt: at("first_response_at"),
    assignedAt: at("assigned_at"),
    escalatedAt: at("escalated_at"),
    resolvedAt: at("resolved_at"),
    closedAt: at("closed_at"),
    archivedAt: at("archived_at"),
    lastActivityAt: at("last_activity_at").notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('simple', subject || ' ' || description)`),
  },
  (t) => [
    uniqueIndex("tickets_tenant_number").on(t.tenantId, t.number),
    uniqueIndex("tickets_conversation").on(t.conversationId),
    index("tickets_tenant_activity").on(t.tenantId, t.lastActivityAt),
    index("tickets_tenant_status").on(t.tenantId, t.status, t.lastActivityAt),
    index("tickets_tenant_assignee").on(t.tenantId, t.assigneeId, t.lastActivityAt),
    index("tickets_tenant_customer").on(t.tenantId, t.customerId, t.lastActivityAt),
    index("tickets_search").using("gin", t.search),
    index("tickets_sla_open")
      .on(t.tenantId, t.slaDueAt)
      .where(sql`${t.slaBreachedAt} is null and ${t.status} not in ('resolved', 'closed')`),
    index("tickets_tenant_created").on(t.tenantId, t.createdAt),
    // The staff list's filters over live tickets, and the stats' counts per status and priority.
    index("tickets_live_filters")
      .on(t.tenantId, t.status, t.priority, t.category)
      .where(sql`${t.archivedAt} is null`),
    index("tickets_retention").on(t.tenantId, t.status, t.archivedAt),
  ],
);
