import { z } from "zod";
import { errorSchema } from "../../../protocol/schemas";
import { scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { eraseCustomer } from "./erase-customer";
import { type CustomerExport, exportCustomer } from "./export-customer";

const params = z.strictObject({ id: z.uuid("must be an id") });
const tags = ["customers"];
const count = z.number().int().min(0);
const erasureOut = z.object({
  id: z.string(),
  erasedAt: z.string(),
  /** What went: whole conversations and tickets, messages emptied in group chats, files and sign-ins. */
  deleted: z.object({
    conversations: count,
    tickets: count,
    calls: count,
    messagesEmptied: count,
    attachments: count,
    bytes: count,
    sessions: count,
    apiTokens: count,
    signInLinks: count,
    emails: count,
  }),
});

/** Data-subject requests (GDPR): a customer's data as a file, and its erasure. Admins and above. */
export function customerRoutes(app: App) {
  app.get(
    "/customers/:id/export",
    {
      config: { access: "customers.export" },
      schema: {
        tags,
        summary:
          "A customer's data as a JSON download: profile, conversations, tickets, ratings, files, sessions",
        params,
        response: { 200: z.custom<CustomerExport>(), 400: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const data = await scoped(req, (scope) => exportCustomer(scope, req.params.id));
      const day = data.exportedAt.slice(0, 10);
      return reply
        .header("content-disposition", `attachment; filename="customer-${req.params.id}-${day}.json"`)
        .header("cache-control", "no-store")
        .send(data);
    },
  );

  app.delete(
    "/customers/:id",
    {
      config: { access: "customers.export" },
      schema: {
        tags,
        summary:
          "Erase a customer: their chats, tickets, files and sign-ins go; the account stays, anonymised",
        params,
        response: { 200: erasureOut, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) =>
      scoped(req, (scope) => eraseCustomer(scope, req.params.id, req.server.deps.config.dataDir)),
  );
}
