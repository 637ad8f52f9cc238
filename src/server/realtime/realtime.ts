import type { Server } from "socket.io";
import type { ServerToClientEvents } from "../../protocol/events";

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * The one way modules announce things. Called from after-commit callbacks, so nothing is announced for work that
 * rolled back; with the Redis adapter the emit reaches every server process.
 */
export class Realtime {
  private io: Server<Record<string, never>, ServerToClientEvents> | undefined;

  attach(io: Server<Record<string, never>, ServerToClientEvents>): void {
    this.io = io;
  }

  emit<E extends EventName>(
    room: string | string[],
    event: E,
    payload: Payload<E>,
    except?: string | string[],
  ): void {
    if (!this.io) return;
    const target = except ? this.io.to(room).except(except) : this.io.to(room);
    (target.emit as (e: E, p: Payload<E>) => boolean)(event, payload);
  }

  /** Sockets of these rooms join (or leave) another room, on every server process. */
  join(from: string, room: string): void {
    this.io?.in(from).socketsJoin(room);
  }

  leave(from: string, room: string): void {
    this.io?.in(from).socketsLeave(room);
  }

  /** Closes every socket of these rooms, on every server process (access ended: deactivated, erased). */
  disconnect(room: string): void {
    this.io?.in(room).disconnectSockets(true);
  }

  async connectedCount(room: string): Promise<number> {
    if (!this.io) return 0;
    return (await this.io.in(room).fetchSockets()).length;
  }
}
