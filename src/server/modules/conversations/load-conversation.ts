import { type SQL, sql } from "drizzle-orm";
import { mapRow, queryPrepared } from "../../db/client";
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
 * columns computed in the same query (e.g. the tenant's settings). Every message runs this, so it is a prepared
 * statement.
 */
export async function loadConversation<E extends Record<string, SQL<unknown>> = Record<never, never>>(
  scope: Scope,
  viewer: Viewer,
  id: string,
  options: { forUpdate?: boolean; extra?: E } = {},
): Promise<Loaded<{ [K in keyof E]: E[K]["_"]["type"] }>> {
  const extra = Object.entries(options.extra ?? {});
  const [raw] = await queryPrepared<Record<string, unknown>>(
    scope.tx,
    sql`select ${conversations}.*, to_jsonb(${participants}) as participation
        ${sql.join(
          extra.map(([key, value]) => sql`, (${value}) as ${sql.identifier(key)}`),
          sql``,
        )}
      from ${conversations}
      left join ${participants} on ${participants.conversationId} = ${conversations.id}
        and ${participants.userId} = ${viewer.id} and ${participants.leftAt} is null
      where ${conversations.id} = ${id} and ${visibleTo(viewer)}
      ${options.forUpdate ? sql`for update of ${conversations}` : sql``}`,
  );
  if (!raw) throw notFound("conversation");
  const joined = raw.participation as Record<string, unknown> | null;
  return {
    row: mapRow(conversations, raw),
    participation: joined ? mapRow(participants, joined) : undefined,
    extra: Object.fromEntries(extra.map(([key]) => [key, raw[key]])) as Loaded<never>["extra"],
  };
}

/** The same, with the conversation's row locked until the transaction ends: for changes. */
export function loadConversationForUpdate(scope: Scope, viewer: Viewer, id: string) {
  return loadConversation(scope, viewer, id, { forUpdate: true });
}
