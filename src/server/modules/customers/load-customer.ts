import { and, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { HttpError, notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";

type Row = typeof users.$inferSelect;

/** The address an erased customer keeps: unique per row, and `.invalid` can never receive mail (RFC 2606). */
export const erasedEmail = (id: string) => `erased-${id}@invalid`;
export const erasedName = "Erased customer";

export const isErased = (row: Pick<Row, "id" | "email">) => row.email === erasedEmail(row.id);

/**
 * One of the tenant's customers, locked when asked (erasure), so two erasures of the same person take turns.
 * Another tenant's person, or none, is "not found"; a staff member is a bad request: their data is the tenant's
 * working record and leaves with their account's deactivation, not through this route.
 */
export async function loadCustomer(scope: Scope, id: string, options: { forUpdate?: boolean } = {}) {
  const query = scope.tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.tenantId, scope.tenantId!)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("customer");
  if (row.role !== "customer") {
    throw new HttpError(400, "validation_failed", "Only customers' data is exported or erased here.", {
      fields: { id: "is a staff member, not a customer" },
    });
  }
  return row;
}
