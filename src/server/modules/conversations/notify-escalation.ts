import { and, eq, inArray, isNull } from "drizzle-orm";
import { can, roles } from "../../../protocol/roles";
import type { Tx } from "../../db/client";
import { type conversations, outbox, users } from "../../db/schema";
import { inSystem } from "../../db/tenant-scope";
import type { Scope } from "../../lib/scope";
import { rooms } from "../../realtime/rooms";

export const escalationMailKind = "conversation.escalated";

type Row = typeof conversations.$inferSelect;
interface Recipient {
  id: string;
  email: string;
}

/** Live to each recipient's app, and an email each through the outbox (in the transaction `tx`). */
async function tell(
  scope: Scope,
  tx: Tx,
  tenantId: string | null,
  row: Row,
  people: Recipient[],
  text: { title: string; body: string; path: string },
) {
  if (!people.length) return;
  const link = `${scope.services?.config.publicUrl ?? ""}${text.path}`;
  await tx.insert(outbox).values(
    people.map((p) => ({
      tenantId,
      kind: escalationMailKind,
      recipient: p.email,
      subject: text.title,
      body: `${text.body}\n\nOpen it: ${link}\n`,
      metadata: { conversationId: row.id, userId: p.id },
    })),
  );
  const notification = {
    kind: escalationMailKind,
    title: text.title,
    body: text.body.slice(0, 300),
    link: text.path,
  };
  const targets = people.map((p) => rooms.user(p.id));
  return () => scope.realtime?.emit(targets, "notification", notification);
}

/**
 * An escalation reaches those above at once, live and by email: a tenant's supervisors and admins, or for a
 * `platform_support` thread the platform's super admins (found as the platform, after the tenant's transaction
 * commits, since a tenant cannot see them).
 */
export async function notifyEscalation(scope: Scope, row: Row, by: string, reason: string): Promise<void> {
  const text = {
    title: `Conversation #${row.number} escalated`,
    body: `${by} escalated conversation #${row.number}${row.subject ? ` (${row.subject})` : ""}: ${reason}`,
  };
  if (row.kind !== "platform_support") {
    const above = roles.filter((r) => r !== "super_admin" && can(r, "staff.edit"));
    const people = await scope.tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.status, "active"), inArray(users.role, above)));
    const emit = await tell(scope, scope.tx, row.tenantId, row, people, {
      ...text,
      path: `/console/conversations/${row.id}`,
    });
    if (emit) scope.afterCommit(emit);
    return;
  }
  const db = scope.services?.db;
  if (!db) return;
  scope.afterCommit(async () => {
    const emit = await inSystem(db, async (tx) => {
      const platform = await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(and(isNull(users.tenantId), eq(users.role, "super_admin"), eq(users.status, "active")));
      return tell(scope, tx, null, row, platform, { ...text, path: "/platform" });
    });
    emit?.();
  });
}
