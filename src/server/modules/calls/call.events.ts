import type { Call } from "../../../protocol/call";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";
import { presentCall } from "./call.presenter";
import { type CallRow, ringOf } from "./call-row";

/**
 * After commit, the call's customer, its agent, the staff who watch every call of the tenant and, while it waits,
 * everyone it rang hear its new state (`call:updated`): an ended call's toast goes away on the agents' screens,
 * and a supervisor's board follows it. An answered call is its agent's: the colleagues it rang hear only that it
 * was answered (answerCall names them in `also`), not how it goes on. One emit to all the rooms, so someone in
 * several hears it once.
 */
export async function announceCall(scope: Scope, row: CallRow, also: string[] = []): Promise<Call> {
  const view = await presentCall(scope, row);
  const rung = row.answeredAt ? [] : ringOf(row).offered;
  const people = new Set([row.customerId, row.agentId, ...rung, ...also].filter((id): id is string => !!id));
  const to = [...[...people].map(rooms.user), rooms.tenantCallWatch(row.tenantId)];
  scope.afterCommit(() => scope.realtime?.emit(to, "call:updated", { call: view }));
  return view;
}

/**
 * After commit, only the staff who watch every call hear it: for changes its parties learn otherwise (the
 * customer from their own request, the agents rung from `call:incoming`).
 */
export function showWatchers(scope: Scope, tenantId: string, view: Call) {
  scope.afterCommit(() =>
    scope.realtime?.emit(rooms.tenantCallWatch(tenantId), "call:updated", { call: view }),
  );
}
