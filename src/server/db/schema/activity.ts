import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ActorType } from "../../../protocol/enums";
import { tenants } from "./tenants";

/** The audit trail: append-only, each row chained to its tenant's previous one by hash. */
export const activity = pgTable(
  "activity",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Global insertion order; within a tenant it is the chain's order. */
    seq: bigserial("seq", { mode: "number" }).notNull().unique(),
    /** Null for platform-level entries (tenants created by a super admin). */
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id"),
    actorType: text("actor_type").$type<ActorType>().notNull(),
    actorName: text("actor_name"),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id"),
    oldValue: jsonb("old_value"),
    newValue: jsonb("new_value"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("activity_tenant_seq").on(t.tenantId, t.seq),
    index("activity_tenant_subject").on(t.tenantId, t.subjectType, t.subjectId),
    index("activity_tenant_actor").on(t.tenantId, t.actorId),
    index("activity_tenant_created").on(t.tenantId, t.createdAt),
  ],
);
