import type { tickets } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { presentTicket } from "./ticket.presenter";

type Row = typeof tickets.$inferSelect;

/** A ticket changed: the tenant's staff (lists and boards) and its customer hear it after commit. */
export async function announceTicket(scope: Scope, row: Row): Promise<void> {
  const ticket = await presentTicket(scope, null, row);
  const forCustomer = await presentTicket(
    scope,
    row.customerId ? { id: row.customerId, role: "customer" } : null,
    row,
  );
  scope.afterCommit(() => {
    scope.realtime?.emit(rooms.tenantStaff(row.tenantId), "ticket:updated", { ticket });
    if (row.customerId)
      scope.realtime?.emit(rooms.user(row.customerId), "ticket:updated", { ticket: forCustomer });
  });
}
