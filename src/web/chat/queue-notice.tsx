import { useState } from "react";
import type { Conversation } from "../lib/chat";
import { useNow } from "../lib/queue";
import { remainingWait, secondsSince, waitingSentence } from "../lib/wait";
import { Icon } from "../ui";

type Place = NonNullable<Conversation["queuePosition"]>;

/**
 * The place as last told, with when it was told: the estimate counts down from there each second until the
 * server's next word (the conversation's own queuePosition on load, `queue:position` live, both in the cache).
 */
function useToldPlace(place: Place | null): { place: Place | null; since: number } {
  const key = place ? `${place.position}:${place.waitingSeconds}:${place.expectedWaitSeconds}` : "";
  const [told, setTold] = useState({ key, since: Date.now() });
  if (told.key !== key) {
    const fresh = { key, since: Date.now() };
    setTold(fresh);
    return { place, since: fresh.since };
  }
  return { place, since: told.since };
}

/**
 * What a waiting customer sees above their chat: their number in line and about how long it will take. It is
 * gone as soon as an agent joins (the conversation is no longer queued).
 */
export function QueueNotice({ conversation, compact }: { conversation: Conversation; compact?: boolean }) {
  const { place, since } = useToldPlace(conversation.queuePosition);
  const waiting = conversation.status === "queued";
  const now = useNow(1000, waiting);
  if (!waiting) return null;
  const remaining = place ? remainingWait(place.expectedWaitSeconds, secondsSince(since, now)) : null;
  const className = compact ? "queue-notice queue-notice-compact" : "queue-notice";
  return (
    // Only whole-minute changes alter the words, so announcing them politely does not chatter every second.
    <div
      className={className}
      role="status"
      data-testid="queued-notice"
      data-position={place?.position ?? ""}
    >
      <Icon name="clock" size={compact ? 16 : 20} />
      <div className="queue-notice-text">
        <p className="queue-notice-line" data-testid="queue-position">
          {place
            ? waitingSentence(place.position, remaining)
            : "You are in the queue, we will answer as soon as someone is available."}
        </p>
        <p className="queue-notice-hint">An agent will join this chat. You can keep writing meanwhile.</p>
      </div>
    </div>
  );
}
