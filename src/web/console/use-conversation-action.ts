import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../lib/api";
import { type Conversation, conversationKey, conversationsPath, mergeConversation } from "../lib/chat";
import { useToast } from "../ui";

export type ConversationAction =
  | { kind: "resolve" | "close" | "reopen" | "pending" }
  | { kind: "escalate"; reason: string }
  | { kind: "assign"; assigneeId: string; note?: string };

function call(id: string, action: ConversationAction): Promise<Conversation> {
  const path = `${conversationsPath}/${id}`;
  switch (action.kind) {
    case "escalate":
      return api.post(`${path}/escalate`, { reason: action.reason });
    case "assign":
      return api.post(`${path}/assign`, {
        assigneeId: action.assigneeId,
        ...(action.note ? { note: action.note } : {}),
      });
    default:
      return api.post(`${path}/${action.kind}`);
  }
}

/**
 * Any status change, pickup or transfer: the answer replaces the cached conversation and lists refetch.
 * Errors (someone else took the chat first, a status that no longer allows it) are shown as a toast.
 */
export function useConversationAction(id: string, onDone?: () => void) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (action: ConversationAction) => call(id, action),
    onSuccess: (fresh) => {
      client.setQueryData<Conversation>(conversationKey(id), (old) => mergeConversation(old, fresh));
      void client.invalidateQueries({ queryKey: [conversationsPath] });
      onDone?.();
    },
    onError: (err) => {
      toast(errorMessage(err), "error");
      void client.invalidateQueries({ queryKey: conversationKey(id) });
    },
  });
}
