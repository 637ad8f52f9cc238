import { z } from "zod";
import { errorSchema } from "../../../protocol/schemas";
import type { Ticket } from "../../../protocol/ticket";
import { callerOf, scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { createTicket } from "./create-ticket";
import { listTickets } from "./list-tickets";
import { loadTicket } from "./load-ticket";
import { rateTicket } from "./rate-ticket";
import { presentTicket } from "./ticket.presenter";
import { listTicketActivity } from "./ticket-activity";
import {
  createTicketBody,
  listTicketsQuery,
  ticketParams as params,
  ticketRatingBody,
  updateTicketBody,
} from "./tickets.schema";
import { updateTicket } from "./update-ticket";

const ticketOut = z.custom<Ticket>();
const tags = ["tickets"];

export function ticketRoutes(app: App) {
  const viewerOf = (req: Parameters<typeof callerOf>[0]) => {
    const { user } = callerOf(req);
    return { id: user.id, role: user.role, name: user.name };
  };

  app.post(
    "/tickets",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Open a ticket (from the form, or from a chat with conversationId)",
        body: createTicketBody,
        response: { 201: ticketOut, 400: errorSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await scoped(req, (scope) => createTicket(scope, viewerOf(req), req.body))),
  );

  app.get(
    "/tickets",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Tickets: a customer's own, or all of the tenant's for staff; filtered and searched",
        querystring: listTicketsQuery,
      },
    },
    async (req) => scoped(req, (scope) => listTickets(scope, viewerOf(req), req.query)),
  );

  app.get(
    "/tickets/:id",
    {
      config: { access: "signed_in" },
      schema: { tags, summary: "One ticket", params, response: { 200: ticketOut, 404: errorSchema } },
    },
    async (req) =>
      scoped(req, async (scope) =>
        presentTicket(scope, viewerOf(req), await loadTicket(scope, viewerOf(req), req.params.id)),
      ),
  );

  app.patch(
    "/tickets/:id",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Change status, priority, category or assignee (customers: close and reopen only)",
        params,
        body: updateTicketBody,
        response: { 200: ticketOut, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => scoped(req, (scope) => updateTicket(scope, viewerOf(req), req.params.id, req.body)),
  );

  app.get(
    "/tickets/:id/activity",
    {
      config: { access: "signed_in" },
      schema: { tags, summary: "The ticket's activity trail (customers: the public entries)", params },
    },
    async (req) =>
      scoped(req, async (scope) => {
        const ticket = await loadTicket(scope, viewerOf(req), req.params.id);
        return { items: await listTicketActivity(scope, viewerOf(req), ticket) };
      }),
  );

  app.post(
    "/tickets/:id/rating",
    {
      config: { access: "own.rate" },
      schema: {
        tags,
        summary: "Rate a resolved or closed ticket, once",
        params,
        body: ticketRatingBody,
        response: { 200: ticketOut, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => scoped(req, (scope) => rateTicket(scope, viewerOf(req), req.params.id, req.body)),
  );
}
