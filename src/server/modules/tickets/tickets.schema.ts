import { z } from "zod";
import { ticketCategories, ticketPriorities, ticketStatuses } from "../../../protocol/enums";
import { pageQuery } from "../../lib/pagination";

export const ticketParams = z.strictObject({ id: z.uuid("must be an id") });

export const createTicketBody = z.strictObject({
  subject: z.string().trim().min(3, "must be at least 3 characters").max(200),
  description: z.string().trim().min(10, "must be at least 10 characters").max(10_000),
  category: z.enum(ticketCategories),
  priority: z.enum(ticketPriorities).optional(),
  /** Converts this chat into the ticket: its thread becomes the ticket's. */
  conversationId: z.uuid("must be an id").optional(),
  /** Staff opening a ticket for a customer name them here (or through the chat). */
  customerId: z.uuid("must be an id").optional(),
  clientId: z.string().min(1).max(100).optional().describe("makes a retried form submission harmless"),
});

export const updateTicketBody = z
  .strictObject({
    status: z.enum(ticketStatuses).optional(),
    priority: z.enum(ticketPriorities).optional(),
    category: z.enum(ticketCategories).optional(),
    /** null unassigns. */
    assigneeId: z.uuid("must be an id").nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: "name at least one of status, priority, category, assigneeId",
    path: ["status"],
  });

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(300)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));

export const listTicketsQuery = z.strictObject({
  ...pageQuery,
  status: csv(ticketStatuses).optional().describe("one status or several, comma-separated"),
  category: csv(ticketCategories).optional(),
  priority: csv(ticketPriorities).optional(),
  assigneeId: z
    .union([z.uuid(), z.literal("none"), z.literal("me")])
    .optional()
    .describe("an id, `me` or `none` (unassigned)"),
  customerId: z.uuid().optional(),
  /** The ticket a chat became. */
  conversationId: z.uuid().optional(),
  /** Active (not resolved or closed) or done (resolved and closed): the customer's two tabs. */
  state: z.enum(["active", "done"]).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("a number (TKT-000042), words of the subject or description, or a customer's email"),
  archived: z.enum(["true", "false"]).optional(),
});

export const ticketRatingBody = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
