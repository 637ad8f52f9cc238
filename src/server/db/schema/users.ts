import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Availability, UserStatus } from "../../../protocol/enums";
import type { Role } from "../../../protocol/roles";
import { teams } from "./teams";
import { tenants } from "./tenants";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null only for super admins, who belong to the platform rather than a tenant. */
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    role: text("role").$type<Role>().notNull(),
    status: text("status").$type<UserStatus>().notNull().default("active"),
    availability: text("availability").$type<Availability>().notNull().default("offline"),
    availabilityUntil: timestamp("availability_until", { withTimezone: true, mode: "date" }),
    /** Set when presence (not the person) made them away: their last socket closed. Reconnecting undoes it. */
    autoAway: boolean("auto_away").notNull().default(false),
    /** When a chat was last given to them; automatic assignment breaks ties by the longest wait since. */
    lastAssignedAt: timestamp("last_assigned_at", { withTimezone: true, mode: "date" }),
    maxChats: integer("max_chats").notNull().default(5),
    maxCalls: integer("max_calls").notNull().default(2),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    /** A lead is a visitor who left a name and email without an account. */
    leadStatus: text("lead_status"),
    /** The id a host site knows this customer by, when its widget identifies them with a signature. */
    externalId: text("external_id"),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_tenant_email").on(t.tenantId, sql`lower(${t.email})`),
    uniqueIndex("users_platform_email").on(sql`lower(${t.email})`).where(sql`${t.tenantId} is null`),
    index("users_tenant_role").on(t.tenantId, t.role),
    uniqueIndex("users_tenant_external").on(t.tenantId, t.externalId),
  ],
);
