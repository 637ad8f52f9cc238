import { useState } from "react";
import type { ConversationStatus } from "../../protocol/enums";
import type { Conversation } from "../lib/chat";
import { hasPermission } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { ConvertToTicket } from "../tickets/convert-to-ticket";
import { Button } from "../ui";
import { EscalateDialog } from "./escalate-dialog";
import { TransferDialog } from "./transfer-dialog";
import { useConversationAction } from "./use-conversation-action";

/** Which statuses each action starts from: the server's table (change-status.ts), so no button is a dead end. */
const from = {
  resolve: ["queued", "open", "pending", "escalated"],
  pending: ["open", "escalated"],
  close: ["queued", "open", "pending", "escalated", "resolved"],
  reopen: ["resolved", "closed"],
  escalate: ["queued", "open", "pending"],
  transfer: ["open", "pending", "escalated"],
} satisfies Record<string, ConversationStatus[]>;
type Verb = keyof typeof from;
const allows = (verb: Verb, status: ConversationStatus) =>
  (from[verb] as ConversationStatus[]).includes(status);

export function canPickUp(c: Conversation, mayPickUp: boolean): boolean {
  return mayPickUp && c.status === "queued" && !c.assignee;
}

export function PickUpButton({ c, size }: { c: Conversation; size?: "sm" | "md" }) {
  const me = useSignedIn();
  const act = useConversationAction(c.id);
  return (
    <Button
      variant="primary"
      size={size}
      busy={act.isPending}
      onClick={() => act.mutate({ kind: "assign", assigneeId: me.user.id, pickup: true })}
      data-testid="action-pickup"
    >
      Pick up
    </Button>
  );
}

/** Status actions the viewer may take now; the server enforces the same rules (conversation.policy.ts). */
export function ConversationActions({ c }: { c: Conversation }) {
  const me = useSignedIn();
  const act = useConversationAction(c.id);
  const [dialog, setDialog] = useState<"escalate" | "transfer" | null>(null);
  const mine = c.assignee?.id === me.user.id;
  const mayChange = mine || hasPermission(me, "chats.reassign");
  const mayReassign = hasPermission(me, "chats.reassign");
  const mayTransfer = (mine && hasPermission(me, "chats.transfer")) || mayReassign;
  const status = c.status;
  const simple = (verb: "resolve" | "pending" | "close" | "reopen", label: string) =>
    mayChange && allows(verb, status) ? (
      <Button
        size="sm"
        busy={act.isPending && act.variables?.kind === verb}
        onClick={() => act.mutate({ kind: verb })}
        data-testid={`action-${verb}`}
      >
        {label}
      </Button>
    ) : null;

  return (
    <div className="row" data-testid="conversation-actions">
      {canPickUp(c, hasPermission(me, "chats.pickup")) && <PickUpButton c={c} size="sm" />}
      {simple("resolve", "Resolve")}
      {simple("pending", "Set pending")}
      {simple("reopen", "Reopen")}
      {/* A waiting chat can be sent to another team's queue, or given to someone, by those who reassign. */}
      {mayTransfer && (allows("transfer", status) || (mayReassign && status === "queued")) && (
        <Button size="sm" onClick={() => setDialog("transfer")} data-testid="action-transfer">
          Transfer
        </Button>
      )}
      {allows("escalate", status) && (
        <Button size="sm" onClick={() => setDialog("escalate")} data-testid="action-escalate">
          Escalate
        </Button>
      )}
      {simple("close", "Close")}
      <ConvertToTicket c={c} />
      <EscalateDialog conversationId={c.id} open={dialog === "escalate"} onClose={() => setDialog(null)} />
      <TransferDialog
        conversationId={c.id}
        assigneeId={c.assignee?.id}
        open={dialog === "transfer"}
        onClose={() => setDialog(null)}
      />
    </div>
  );
}
