/** The chat queue for staff: one cached answer of GET /queue, replaced whenever the server announces a change. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { QueuedCall } from "../../protocol/call";
import type { QueuedChat } from "../../protocol/events";
import { api } from "./api";
import { useSocketEvent } from "./socket";

export type { QueuedChat };

export interface QueueSnapshot {
  chats: QueuedChat[];
  calls: QueuedCall[];
  total: number;
}

export const queuePath = "/queue";
export const queueKey = [queuePath] as const;

/**
 * The queue in order. `dataUpdatedAt` is when the server's waiting times were true: the screens count on from
 * there with the browser's own clock, so a skewed clock on this machine does not show wrong times.
 */
export function useQueue() {
  return useQuery({
    queryKey: queueKey,
    queryFn: () => api.get<QueueSnapshot>(queuePath, { limit: 100 }),
  });
}

/**
 * Keeps the cached queue current for every console page: `queue:updated` carries the whole head of the queue, so
 * it replaces the cache as it is (after a reconnect the socket provider asks for it again, as for every query).
 */
export function useQueueSync(): void {
  const client = useQueryClient();
  useSocketEvent("queue:updated", (snapshot) => client.setQueryData<QueueSnapshot>(queueKey, snapshot));
}

/** The current time, updated every `ms` while `running`, for clocks that count while nothing else changes. */
export function useNow(ms = 1000, running = true): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms, running]);
  return now;
}
