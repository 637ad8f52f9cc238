import { eq, type SQL, sql } from "drizzle-orm";
import { can, type Role } from "../../../protocol/roles";
import { tickets } from "../../db/schema";

export interface Viewer {
  id: string;
  role: Role;
}

/** Tickets a person may see, as a query filter: customers their own, staff who work tickets all of the tenant's. */
export function ticketsVisibleTo(viewer: Viewer): SQL {
  if (viewer.role === "customer") return eq(tickets.customerId, viewer.id);
  return can(viewer.role, "tickets.work") ? sql`true` : sql`false`;
}

type Row = typeof tickets.$inferSelect;

export const ticketPolicy = {
  staff: (viewer: Viewer) => viewer.role !== "customer" && can(viewer.role, "tickets.work"),
  rate: (viewer: Viewer, t: Row) =>
    t.customerId === viewer.id && (t.status === "resolved" || t.status === "closed"),
};
