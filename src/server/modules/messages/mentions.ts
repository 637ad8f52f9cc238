import { and, eq, ne, sql } from "drizzle-orm";
import { users } from "../../db/schema";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";

/** `@sarah`, `@sarah.johnson` or `@SarahJohnson`: a first name, an email's local part, or a name without spaces. */
const handlePattern = /(?:^|[^\p{L}\p{N}])@([\p{L}][\p{L}\p{N}._-]{0,63})/gu;

export function mentionHandles(body: string): string[] {
  return [
    ...new Set([...body.matchAll(handlePattern)].map((m) => m[1]!.toLowerCase().replace(/[._-]+$/, ""))),
  ];
}

/** The active staff a message names with @, other than its sender. */
export async function findMentions(scope: Scope, body: string, senderId: string): Promise<string[]> {
  const handles = mentionHandles(body);
  if (!handles.length) return [];
  const list = sql.join(
    handles.map((h) => sql`${h}`),
    sql`, `,
  );
  // "@tom.baker" and "@tombaker" both name Tom Baker.
  const compact = sql.join(
    handles.map((h) => sql`${h.replace(/[._-]/g, "")}`),
    sql`, `,
  );
  const found = await scope.tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        ne(users.role, "customer"),
        eq(users.status, "active"),
        ne(users.id, senderId),
        sql`(lower(split_part(${users.name}, ' ', 1)) in (${list})
          or lower(split_part(${users.email}, '@', 1)) in (${list})
          or lower(replace(${users.name}, ' ', '')) in (${compact}))`,
      ),
    );
  return found.map((u) => u.id);
}

/** Each person mentioned hears of it at once, wherever they are in the app. */
export function announceMentions(
  scope: Scope,
  mentioned: string[],
  message: { conversationId: string; body: string; senderName: string },
): void {
  if (!mentioned.length) return;
  const notification = {
    kind: "mention",
    title: `${message.senderName} mentioned you`,
    body: message.body.slice(0, 200),
    link: `/console/conversations/${message.conversationId}`,
  };
  scope.afterCommit(() => scope.realtime?.emit(mentioned.map(rooms.user), "notification", notification));
}
