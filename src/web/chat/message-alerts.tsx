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
    // Automatic replies answer the viewer's own message at once: nothing to be alerted to.
    const automatic = message.sender.type === "system" || message.sender.type === "bot";
    if (message.sender.id === viewerId || automatic) return;
    const text = message.body || (message.attachments.length ? "Sent a file" : "");
    alertHidden(message.sender.name, text, () => navigate(linkFor(message.conversationId)));
  });
  // Server notices (an escalation, a chat waiting too long, a mention) are shown at once with a way to the
  // conversation, and as a system notification if the tab is hidden.
  useSocketEvent("notification", (n) => {
    const open = () => navigate(n.link);
    toast(`${n.title}: ${n.body}`, "info", n.link ? { label: "Open", onClick: open } : undefined);
    alertHidden(n.title, n.body, open);
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
