import { eq } from "drizzle-orm";
import type { Ticket } from "../../../protocol/ticket";
import { tickets } from "../../db/schema";
import { conflict, forbidden } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { maskSensitive } from "../masking/mask";
import { loadTicket } from "./load-ticket";
import { announceTicket } from "./ticket.events";
import { ticketPolicy, type Viewer } from "./ticket.policy";
import { presentTicket } from "./ticket.presenter";
import { recordTicketActivity } from "./ticket-activity";

/** The customer rates their resolved or closed ticket, once (1–5 and an optional comment, masked). */
export async function rateTicket(
  scope: Scope,
  viewer: Viewer,
  id: string,
  input: { score: number; comment?: string | undefined },
): Promise<Ticket> {
  const t = await loadTicket(scope, viewer, id, { forUpdate: true });
  if (t.customerId !== viewer.id) throw forbidden("Only the ticket's customer rates it.");
  if (t.rating !== null) throw conflict("This ticket has been rated already.");
  if (!ticketPolicy.rate(viewer, t)) throw conflict("A ticket is rated once it is resolved or closed.");
  const feedback = input.comment ? maskSensitive(input.comment).text : null;
  const now = new Date();
  const [after] = await scope.tx
    .update(tickets)
    .set({ rating: input.score, feedback, ratedAt: now, updatedAt: now, lastActivityAt: now })
    .where(eq(tickets.id, t.id))
    .returning();
  await recordTicketActivity(scope, after!, "rated", { newValue: { rating: input.score, feedback } });
  await announceTicket(scope, after!);
  return presentTicket(scope, viewer, after!);
}
