import type { Settings } from "../../../protocol/settings";
import type { tickets } from "../../db/schema";

type Row = typeof tickets.$inferSelect;

const minutes = (m: number) => m * 60_000;

/**
 * Due times from the tenant's per-priority targets, counted from creation and moved later by every second the
 * ticket spent waiting on the customer.
 */
export function dueTimes(
  settings: Settings,
  t: Pick<Row, "priority" | "createdAt" | "slaPausedSeconds">,
): { firstResponseDueAt: Date; slaDueAt: Date } {
  const target = settings.ticketSla[t.priority];
  const start = t.createdAt.getTime() + t.slaPausedSeconds * 1000;
  return {
    firstResponseDueAt: new Date(start + minutes(target.firstResponseMinutes)),
    slaDueAt: new Date(start + minutes(target.resolutionMinutes)),
  };
}

/**
 * The clock's state after a status change: it stops on entering `waiting_on_customer` and resumes on leaving it,
 * pushing both due times back by the pause.
 */
export function clockAfter(
  settings: Settings,
  t: Row,
  status: Row["status"],
  priority: Row["priority"],
  now: Date,
): Pick<Row, "slaPausedAt" | "slaPausedSeconds" | "firstResponseDueAt" | "slaDueAt"> {
  let { slaPausedAt, slaPausedSeconds } = t;
  if (status === "waiting_on_customer" && !slaPausedAt) slaPausedAt = now;
  if (status !== "waiting_on_customer" && slaPausedAt) {
    slaPausedSeconds += Math.round((now.getTime() - slaPausedAt.getTime()) / 1000);
    slaPausedAt = null;
  }
  return {
    slaPausedAt,
    slaPausedSeconds,
    ...dueTimes(settings, { priority, createdAt: t.createdAt, slaPausedSeconds }),
  };
}
