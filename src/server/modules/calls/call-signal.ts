import { eq } from "drizzle-orm";
import type { CallSignal } from "../../../protocol/call";
import { calls } from "../../db/schema";
import { conflict, notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";

/**
 * `call:signal`: an SDP offer or answer, an ICE candidate or a hang-up, passed to the other party of an active
 * call through their user room (on whichever server process holds their sockets). Nothing is stored; a call the
 * sender is not in is "not found", one that is not connected (yet, or any more) a conflict.
 */
export async function relaySignal(scope: Scope, senderId: string, signal: CallSignal): Promise<object> {
  const [call] = await scope.tx
    .select({ status: calls.status, customerId: calls.customerId, agentId: calls.agentId })
    .from(calls)
    .where(eq(calls.id, signal.callId));
  if (!call || (call.customerId !== senderId && call.agentId !== senderId)) throw notFound("call");
  if (call.status !== "active") {
    throw conflict(
      call.status === "queued" || call.status === "ringing"
        ? "Nobody has answered the call yet."
        : "The call has ended.",
      { status: call.status },
    );
  }
  const other = call.customerId === senderId ? call.agentId : call.customerId;
  if (!other) throw conflict("The other party has left.");
  scope.realtime?.emit(rooms.user(other), "call:signal", { ...signal, from: senderId });
  return {};
}
