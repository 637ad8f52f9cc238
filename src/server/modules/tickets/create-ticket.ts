import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import type { Ticket } from "../../../protocol/ticket";
import { ticketReference } from "../../../protocol/ticket";
import { conversations, messages, participants, tickets, users } from "../../db/schema";
import { conflict, forbidden, invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { nextNumber } from "../conversations/create-conversation";
import { loadConversationForUpdate } from "../conversations/load-conversation";
import { maskSensitive } from "../masking/mask";
import { sendMessage } from "../messages/send-message";
import { tenantSettings } from "../settings/tenant-settings";
import { insertTicket } from "./insert-ticket";
import { ticketPolicy, type Viewer } from "./ticket.policy";
import { presentTicket } from "./ticket.presenter";
import type { createTicketBody } from "./tickets.schema";

type Input = z.infer<typeof createTicketBody>;
type Creator = Viewer & { name: string };

/** A form submitted again with the same clientId gets the ticket the first one opened. */
async function earlier(scope: Scope, creator: Creator, clientId: string | undefined) {
  if (!clientId) return undefined;
  const [row] = await scope.tx
    .select({ ticket: tickets })
    .from(tickets)
    .innerJoin(messages, eq(messages.conversationId, tickets.conversationId))
    .where(and(eq(messages.senderId, creator.id), eq(messages.clientId, clientId)));
  return row?.ticket;
}

/** The customer a staff member opens a ticket for: an active customer of this tenant. */
async function customerFor(scope: Scope, creator: Creator, customerId: string | undefined) {
  if (creator.role === "customer") {
    if (customerId && customerId !== creator.id) throw forbidden("Customers open tickets for themselves.");
    return creator.id;
  }
  if (!customerId) throw invalid({ customerId: "name the customer the ticket is for" });
  const [found] = await scope.tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, customerId), eq(users.role, "customer"), ne(users.status, "deactivated")));
  if (!found) throw invalid({ customerId: "must be an active customer of this tenant" });
  return found.id;
}

/**
 * Opens a ticket: from the form (a new thread whose first message is the description), or from a chat (the chat's
 * thread becomes the ticket's, and the chat's agent holds it).
 */
export async function createTicket(scope: Scope, creator: Creator, input: Input): Promise<Ticket> {
  const staff = creator.role !== "customer";
  if (staff && !ticketPolicy.staff(creator)) throw forbidden("You cannot open tickets.");
  const retry = await earlier(scope, creator, input.clientId);
  if (retry) return presentTicket(scope, creator, retry);

  const settings = await tenantSettings(scope);
  const mask = (text: string) => maskSensitive(text, settings.masking).text;
  const subject = mask(input.subject);
  const description = mask(input.description);
  const priority = input.priority ?? "medium";

  if (input.conversationId) {
    if (input.customerId) throw invalid({ customerId: "comes from the chat; leave it out" });
    const { row: chat } = await loadConversationForUpdate(scope, creator, input.conversationId);
    if (chat.kind !== "support" || !chat.customerId)
      throw invalid({ conversationId: "must be a support chat with a customer" });
    if (!staff && chat.customerId !== creator.id) throw forbidden("This is not your chat.");
    const [existing] = await scope.tx
      .select({ number: tickets.number })
      .from(tickets)
      .where(eq(tickets.conversationId, chat.id));
    if (existing) throw conflict(`This chat is already ticket ${ticketReference(existing.number)}.`);
    const row = await insertTicket(scope, settings, {
      conversationId: chat.id,
      customerId: chat.customerId,
      assigneeId: chat.assigneeId,
      teamId: chat.teamId,
      subject,
      description,
      category: input.category,
      priority,
      source: "chat",
    });
    return presentTicket(scope, creator, row);
  }

  const customerId = await customerFor(scope, creator, input.customerId);
  const now = new Date();
  const [thread] = await scope.tx
    .insert(conversations)
    .values({
      tenantId: scope.tenantId!,
      number: await nextNumber(scope, "conversation"),
      kind: "ticket",
      status: "open",
      customerId,
      subject,
      priority: priority === "medium" ? "normal" : priority,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await scope.tx
    .insert(participants)
    .values(
      [
        { userId: customerId, role: "customer" as const },
        ...(staff ? [{ userId: creator.id, role: "agent" as const }] : []),
      ].map((p) => ({ ...p, conversationId: thread!.id, tenantId: thread!.tenantId })),
    );
  // The description opens the thread, before the ticket exists, so it is not counted as a reply.
  await sendMessage(scope, creator, {
    conversationId: thread!.id,
    body: input.description,
    clientId: input.clientId ?? `ticket-${thread!.id}`,
  });
  const row = await insertTicket(scope, settings, {
    conversationId: thread!.id,
    customerId,
    assigneeId: null,
    teamId: null,
    subject,
    description,
    category: input.category,
    priority,
    source: "form",
  });
  return presentTicket(scope, creator, row);
}
