import { and, eq, isNull } from "drizzle-orm";
import type { Settings } from "../../../protocol/settings";
import { conversations, tickets } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { nextNumber } from "../conversations/create-conversation";
import { announceTicket } from "./ticket.events";
import { recordTicketActivity } from "./ticket-activity";
import { mailTicketCreated } from "./ticket-mail";
import { dueTimes } from "./ticket-sla";

type Row = typeof tickets.$inferSelect;
export type NewTicket = Pick<
  Row,
  | "conversationId"
  | "customerId"
  | "assigneeId"
  | "teamId"
  | "subject"
  | "description"
  | "category"
  | "priority"
  | "source"
>;

/**
 * Stores a ticket with the tenant's next number (the counter's row lock keeps numbers gap-free under parallel
 * creation), its due times, and the creator's IP and user agent; records and announces it.
 */
export async function insertTicket(scope: Scope, settings: Settings, fields: NewTicket): Promise<Row> {
  const now = new Date();
  const [row] = await scope.tx
    .insert(tickets)
    .values({
      ...fields,
      tenantId: scope.tenantId!,
      number: await nextNumber(scope, "ticket"),
      status: "open",
      assignedAt: fields.assigneeId ? now : null,
      ...dueTimes(settings, { priority: fields.priority, createdAt: now, slaPausedSeconds: 0 }),
      ip: scope.actor.ip,
      userAgent: scope.actor.userAgent,
      createdAt: now,
      updatedAt: now,
      lastActivityAt: now,
    })
    .returning();
  // A converted chat without a subject takes the ticket's.
  await scope.tx
    .update(conversations)
    .set({ subject: fields.subject })
    .where(and(eq(conversations.id, fields.conversationId), isNull(conversations.subject)));
  await recordTicketActivity(scope, row!, "created", {
    newValue: {
      subject: row!.subject,
      category: row!.category,
      priority: row!.priority,
      status: row!.status,
      source: row!.source,
      assigneeId: row!.assigneeId,
    },
  });
  await announceTicket(scope, row!);
  await mailTicketCreated(scope, row!);
  return row!;
}
