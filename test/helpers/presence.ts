import { offlineGraceMs } from "../../src/server/realtime/presence";
import type { ClientSocket } from "./socket";

/**
 * Closes a case's sockets and waits out presence's grace period (and the work it then does), so what presence
 * does for their users (away, calls left) happens before the next case starts, never in the middle of it.
 */
export async function closeAndOutlast(sockets: ClientSocket[]): Promise<void> {
  if (!sockets.length) return;
  for (const s of sockets) s.close();
  await new Promise((resolve) => setTimeout(resolve, offlineGraceMs + 1_000));
}
