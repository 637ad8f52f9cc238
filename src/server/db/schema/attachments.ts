import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { conversations, messages } from "./conversations";
import { tenants } from "./tenants";
import { users } from "./users";

/** A file's facts; its bytes live encrypted (AES-256-GCM) under a random name outside the web root. */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    uploaderId: uuid("uploader_id").references(() => users.id, { onDelete: "set null" }),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The type found in the bytes, not the one the client claimed. */
    mime: text("mime").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    storageKey: text("storage_key").notNull(),
    /** Base64 IV and auth tag of the AES-256-GCM encryption. */
    iv: text("iv").notNull(),
    tag: text("tag").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("attachments_message").on(t.messageId),
    index("attachments_conversation").on(t.conversationId),
  ],
);
