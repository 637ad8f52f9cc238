import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../lib/api";
import { type Conversation, conversationKey, conversationsPath, mergeConversation } from "../lib/chat";
import { queueKey } from "../lib/queue";
import { useToast } from "../ui";

export type ConversationAction =
  | { kind: "resolve" | "close" | "reopen" | "pending" }
  | { kind: "escalate"; reason: string }
  | { kind: "assign"; assigneeId: string; note?: string; pickup?: boolean }
  /** Into a team's queue: someone of that team takes it, or routing gives it to them. */
  | { kind: "team"; teamId: string; note?: string };

function call(id: string, action: ConversationAction): Promise<Conversation> {
  const path = `${conversationsPath}/${id}`;
  switch (action.kind) {
    case "escalate":
      return api.post(`${path}/escalate`, { reason: action.reason });
    case "assign":
      return api.post(`${path}/assign`, {
        assigneeId: action.assigneeId,
        ...(action.note ? { note: action.note } : {}),
        ...(action.pickup ? { pickup: true } : {}),
      });
    case "team":
      return api.post(`${path}/assign`, {
        teamId: action.teamId,
        ...(action.note ? { note: action.note } : {}),
      });
    default:
      return api.post(`${path}/${action.kind}`);
  }
}

/**
 * Any status change, pickup or transfer: the answer replaces the cached conversation and lists refetch.
 * Errors (someone else took the chat first, a colleague with no room, a status that no longer allows it) are
 * shown as a toast, and what was shown is asked again, since it was evidently out of date.
 */
export function useConversationAction(id: string, onDone?: (fresh: Conversation) => void) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (action: ConversationAction) => call(id, action),
    onSuccess: (fresh) => {
      client.setQueryData<Conversation>(conversationKey(id), (old) => mergeConversation(old, fresh));
      void client.invalidateQueries({ queryKey: [conversationsPath] });
      void client.invalidateQueries({ queryKey: queueKey });
      onDone?.(fresh);
    },
    onError: (err) => {
      toast(errorMessage(err), "error");
      void client.invalidateQueries({ queryKey: conversationKey(id) });
      void client.invalidateQueries({ queryKey: queueKey });
      void client.invalidateQueries({ queryKey: ["/staff"] });
      void client.invalidateQueries({ queryKey: ["/staff/colleagues"] });
    },
  });
}
