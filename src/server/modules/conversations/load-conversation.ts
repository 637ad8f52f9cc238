import { and, eq, isNull, type SQL } from "drizzle-orm";
import { conversations, participants } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { type Viewer, visibleTo } from "./conversation.policy";

type Row = typeof conversations.$inferSelect;
type Participation = typeof participants.$inferSelect;

export interface Loaded<E> {
  row: Row;
  /** The viewer's current participation, if they take part (and have not left). */
  participation: Participation | undefined;
  extra: E;
}

/**
 * The conversation if the viewer may see it, with their participation, in one query; otherwise "not found", never
 * "forbidden". `forUpdate` locks the conversation's row until the transaction ends: for changes. `extra` adds
 * columns computed in the same query (e.g. the tenant's settings).
 */
export async function loadConversation<E extends Record<string, SQL.Aliased> = Record<never, never>>(
  scope: Scope,
  viewer: Viewer,
  id: string,
  options: { forUpdate?: boolean; extra?: E } = {},
): Promise<Loaded<{ [K in keyof E]: E[K]["_"]["type"] }>> {
  const query = scope.tx
    .select({ row: conversations, participation: participants, ...(options.extra ?? ({} as E)) })
    .from(conversations)
    .leftJoin(
      participants,
      and(
        eq(participants.conversationId, conversations.id),
        eq(participants.userId, viewer.id),
        isNull(participants.leftAt),
      ),
    )
    .where(and(eq(conversations.id, id), visibleTo(viewer)));
  const rows = (await (options.forUpdate ? query.for("update", { of: conversations }) : query)) as Array<
    { row: Row; participation: Participation | null } & Record<string, unknown>
  >;
  const found = rows[0];
  if (!found) throw notFound("conversation");
  const { row, participation, ...extra } = found;
  return { row, participation: participation ?? undefined, extra: extra as Loaded<never>["extra"] };
}

/** The same, with the conversation's row locked until the transaction ends: for changes. */
export function loadConversationForUpdate(scope: Scope, viewer: Viewer, id: string) {
  return loadConversation(scope, viewer, id, { forUpdate: true });
}
