import { useNavigate } from "react-router-dom";
import { alertHidden, useNotificationPermission } from "../lib/alerts";
import { type MessageView, useConversationSync } from "../lib/chat";
import { useSocketEvent } from "../lib/socket";
import { Button, Icon, useToast } from "../ui";

/**
 * Keeps the area's conversation caches live and alerts (beep, system notification) when someone else's
 * message arrives while the tab is hidden. `linkFor` says where the notification leads.
 */
export function useChatAlerts(viewerId: string, linkFor: (conversationId: string) => string): void {
  const navigate = useNavigate();
  const toast = useToast();
  useConversationSync((message: MessageView) => {
    if (message.sender.id === viewerId || message.sender.type === "system") return;
    const text = message.body || (message.attachments.length ? "Sent a file" : "");
    alertHidden(message.sender.name, text, () => navigate(linkFor(message.conversationId)));
  });
  // Server notices (an escalation…) are shown at once, and as a system notification if the tab is hidden.
  useSocketEvent("notification", (n) => {
    toast(`${n.title}: ${n.body}`);
    alertHidden(n.title, n.body, () => navigate(n.link));
  });
}

/** Asks for notification permission once, from a click (browsers refuse the question otherwise). */
export function NotifyButton() {
  const { permission, ask } = useNotificationPermission();
  if (permission !== "default") return null;
  return (
    <Button
      size="sm"
      variant="ghost"
      onClick={ask}
      data-testid="enable-notifications"
      title="Get a notification when a message arrives while this tab is hidden"
    >
      <Icon name="bell" /> Notify me
    </Button>
  );
}
