import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import type { MessageView } from "../../../protocol/events";
import { isStaff } from "../../../protocol/roles";
import { messages } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import type { Viewer } from "../conversations/conversation.policy";
import { presentMessages } from "./message.presenter";

/**
 * A page of a conversation's messages in seq order: after a seq (catching up, oldest first) or before one
 * (scrolling back). Customers never get internal notes, whatever the path.
 */
export async function listMessages(
  scope: Scope,
  viewer: Viewer,
  conversationId: string,
  q: { after?: number | undefined; before?: number | undefined; limit: number },
): Promise<{ items: MessageView[]; hasMore: boolean }> {
  const backwards = q.before !== undefined || q.after === undefined;
  const rows = await scope.tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        isStaff(viewer.role) ? undefined : eq(messages.internal, false),
        q.after !== undefined ? gt(messages.seq, q.after) : undefined,
        q.before !== undefined ? lt(messages.seq, q.before) : undefined,
      ),
    )
    .orderBy(backwards ? desc(messages.seq) : asc(messages.seq))
    .limit(q.limit + 1);
  const hasMore = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  if (backwards) page.reverse();
  return { items: await presentMessages(scope, page), hasMore };
}
