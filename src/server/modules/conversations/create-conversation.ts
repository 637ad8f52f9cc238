import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Conversation } from "../../../protocol/conversation";
import type { ParticipantRole } from "../../../protocol/enums";
import { isStaff } from "../../../protocol/roles";
import { conversations, counters, participants, users } from "../../db/schema";
import { forbidden, invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { maskSensitive } from "../masking/mask";
import { sendMessage } from "../messages/send-message";
import { autoReply } from "../routing/auto-reply";
import { drainQueue, lockRouting, queueChanged } from "../routing/routing";
import { tenantSettings } from "../settings/tenant-settings";
import { announceConversation } from "./conversation.events";
import { conversationPolicy, type Viewer } from "./conversation.policy";
import { presentConversation } from "./conversation.presenter";
import type { createConversationBody } from "./conversations.schema";

/** The tenant's next number for a kind of thing; the counter row's lock keeps it gap-free. */
export async function nextNumber(scope: Scope, name: string): Promise<number> {
  const [row] = await scope.tx
    .insert(counters)
    .values({ tenantId: scope.tenantId!, name, value: 1 })
    .onConflictDoUpdate({
      target: [counters.tenantId, counters.name],
      set: { value: sql`${counters.value} + 1` },
    })
    .returning({ value: counters.value });
  return row!.value;
}

type Input = z.infer<typeof createConversationBody>;

async function people(scope: Scope, ids: string[]) {
  if (!ids.length) return [];
  const found = await scope.tx
    .select({ id: users.id, role: users.role, status: users.status })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.status, "active")));
  if (found.length !== new Set(ids).size)
    throw invalid({ participantIds: "must name active people of this tenant" });
  return found;
}

export async function createConversation(
  scope: Scope,
  creator: Viewer & { name: string },
  input: Input,
): Promise<Conversation> {
  if (!conversationPolicy.start(creator.role, input.kind))
    throw forbidden("You cannot start this kind of conversation.");
  const staff = isStaff(creator.role);
  const named = await people(
    scope,
    (input.participantIds ?? []).filter((id) => id !== creator.id),
  );
  const observers = await people(scope, input.observerIds ?? []);
  let customerId: string | null = null;
  if (input.kind === "support") {
    if (staff) {
      const customers = named.filter((p) => p.role === "customer");
      if (customers.length !== 1 || named.length !== 1)
        throw invalid({ participantIds: "name exactly one customer" });
      customerId = customers[0]!.id;
    } else {
      if (named.length) throw invalid({ participantIds: "customers cannot add people" });
      customerId = creator.id;
    }
  }
  if (input.kind === "team" && named.some((p) => p.role === "customer"))
    throw invalid({ participantIds: "team channels are for staff" });
  if (input.kind === "group" && !input.contextId) throw invalid({ contextId: "is required for a group" });
  const settings = await tenantSettings(scope);
  const subject = input.subject ? maskSensitive(input.subject, settings.masking).text : null;
  const now = new Date();
  const queued = input.kind === "support" && !staff;
  // A customer's chat is routed before this transaction ends: routing's lock comes before the audit trail's.
  if (queued) await lockRouting(scope);
  const [row] = await scope.tx
    .insert(conversations)
    .values({
      tenantId: scope.tenantId!,
      number: await nextNumber(scope, "conversation"),
      kind: input.kind,
      status: queued ? "queued" : "open",
      customerId,
      assigneeId: input.kind === "support" && staff ? creator.id : null,
      assignedAt: input.kind === "support" && staff ? now : null,
      teamId: input.teamId ?? null,
      subject,
      priority: input.priority ?? "normal",
      contextId: input.contextId ?? null,
      queuedAt: queued ? now : null,
    })
    .returning();
  const members: Array<{ userId: string; role: ParticipantRole }> = [
    { userId: creator.id, role: staff ? (input.kind === "support" ? "agent" : "admin") : "customer" },
    ...named.map((p) => ({
      userId: p.id,
      role: (p.role === "customer" ? "customer" : "member") as ParticipantRole,
    })),
    ...observers.map((p) => ({ userId: p.id, role: "observer" as const })),
  ];
  await scope.tx
    .insert(participants)
    .values(
      members.map((m) => ({
        conversationId: row!.id,
        userId: m.userId,
        tenantId: row!.tenantId,
        role: m.role,
      })),
    )
    .onConflictDoNothing();
  // The first message goes before the audit entry: it may open a ticket, whose number is taken before the
  // audit trail's lock like every other ticket's.
  if (input.message) {
    await sendMessage(scope, creator, {
      conversationId: row!.id,
      body: input.message,
      clientId: input.clientId ?? `create-${row!.id}`,
    });
  }
  await recordActivity(scope, {
    action: "conversation.created",
    subjectType: "conversation",
    subjectId: row!.id,
    newValue: { number: row!.number, kind: row!.kind, status: row!.status, customerId, subject },
  });
  if (queued) {
    queueChanged(scope);
    await drainQueue(scope);
  }
  const [fresh] = await scope.tx.select().from(conversations).where(eq(conversations.id, row!.id));
  const current = queued ? await autoReply(scope, fresh!, settings) : fresh!;
  await announceConversation(scope, current);
  return presentConversation(scope, creator, current);
}
