import type { ConversationStatus } from "../../protocol/enums";
import { conversationStatusLabels, conversationStatusTones, staffStatusLabels } from "../lib/labels";
import { Badge } from "../ui";

export function StatusBadge({
  status,
  staff,
  testId,
}: {
  status: ConversationStatus;
  staff?: boolean;
  testId?: string;
}) {
  return (
    <Badge tone={conversationStatusTones[status]} testId={testId}>
      <span data-status={status}>{(staff ? staffStatusLabels : conversationStatusLabels)[status]}</span>
    </Badge>
  );
}

/** A count of unread messages; nothing at zero. */
export function UnreadBadge({ count, testId }: { count: number; testId?: string }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge" data-testid={testId} data-count={count}>
      {count > 99 ? "99+" : count}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}

/** Statuses in which a conversation is still going on (the customer may write, staff may act). */
export const liveStatuses: readonly ConversationStatus[] = ["queued", "open", "pending", "escalated"];
