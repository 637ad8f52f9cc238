import { eq } from "drizzle-orm";
import type { MessageView } from "../../../protocol/events";
import type { Settings } from "../../../protocol/settings";
import { type conversations, tickets } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { insertTicket } from "./insert-ticket";
import { announceTicket } from "./ticket.events";
import type { Viewer } from "./ticket.policy";
import { recordTicketActivity } from "./ticket-activity";
import { mailTicketMessage } from "./ticket-mail";
import { clockAfter } from "./ticket-sla";
import { statusActivity, statusTimes } from "./update-ticket";

type Thread = typeof conversations.$inferSelect;
type Row = typeof tickets.$inferSelect;

/**
 * What a message in a ticket's thread does to the ticket, inside the message's transaction (the thread's row is
 * already locked): it is in the trail, staff's first public reply stops the first-response clock, and a
 * customer's reply puts a ticket waiting on them or resolved back to open. With `autoTicketFromChat`, a customer's
 * first message in a chat opens a ticket for it.
 */
export async function ticketOnMessage(
  scope: Scope,
  thread: Thread,
  ticketId: string | null,
  settings: Settings,
  sender: Viewer,
  message: MessageView,
): Promise<void> {
  const fromCustomer = sender.id === thread.customerId;
  if (!ticketId) {
    if (thread.kind === "support" && fromCustomer && settings.autoTicketFromChat && !message.internal) {
      await insertTicket(scope, settings, {
        conversationId: thread.id,
        customerId: thread.customerId,
        assigneeId: thread.assigneeId,
        teamId: thread.teamId,
        subject: `Support request from ${message.sender.name}`,
        description: message.body.slice(0, 500),
        category: "general",
        priority: "medium",
        source: "auto",
      });
    }
    return;
  }
  const [t] = await scope.tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
  if (!t || t.archivedAt) return;
  const now = new Date();
  const set: Partial<Row> = { lastActivityAt: now, updatedAt: now };
  await recordTicketActivity(scope, t, message.internal ? "internal_note_added" : "message_added", {
    metadata: { messageId: message.id, seq: message.seq },
  });
  if (!fromCustomer && sender.role !== "customer" && !message.internal && !t.firstResponseAt)
    set.firstResponseAt = now;
  if (fromCustomer && (t.status === "waiting_on_customer" || t.status === "resolved")) {
    Object.assign(set, statusTimes(t, "open", now), clockAfter(settings, t, "open", t.priority, now));
    await recordTicketActivity(scope, t, statusActivity(t.status, "open"), {
      oldValue: { status: t.status },
      newValue: { status: "open" },
    });
  }
  const [after] = await scope.tx.update(tickets).set(set).where(eq(tickets.id, t.id)).returning();
  await announceTicket(scope, after!);
  await mailTicketMessage(scope, t, after!, thread, message);
}
