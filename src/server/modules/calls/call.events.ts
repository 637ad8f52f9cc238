import type { Call } from "../../../protocol/call";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { presentCall } from "./call.presenter";
import { type CallRow, ringOf } from "./call-row";

/**
 * After commit, the call's customer, its agent and everyone it rang hear its new state (`call:updated`): an
 * answered or ended call's toast goes away on the other agents' screens.
 */
export async function announceCall(scope: Scope, row: CallRow, also: string[] = []): Promise<Call> {
  const view = await presentCall(scope, row);
  const to = [
    ...new Set(
      [row.customerId, row.agentId, ...ringOf(row).offered, ...also].filter((id): id is string => !!id),
    ),
  ].map(rooms.user);
  scope.afterCommit(() => scope.realtime?.emit(to, "call:updated", { call: view }));
  return view;
}
