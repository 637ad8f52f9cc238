import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { MessageView } from "../../../protocol/events";
import { isStaff } from "../../../protocol/roles";
import { resolveSettings } from "../../../protocol/settings";
import { attachments, conversations, messages, participants, tenants, tickets } from "../../db/schema";
import { conflict, forbidden, invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { announceConversation, announceMessage } from "../conversations/conversation.events";
import { conversationPolicy, type Viewer } from "../conversations/conversation.policy";
import { loadConversation } from "../conversations/load-conversation";
import { maskSensitive } from "../masking/mask";
import { notifyOffline } from "../notifications/notify-offline";
import { afterStatusChange, comeBack } from "../routing/routing";
import { ticketOnMessage } from "../tickets/ticket-messages";
import { appendMessage } from "./append-message";
import { announceMentions, findMentions } from "./mentions";
import { presentMessage, presentMessages } from "./message.presenter";

export interface SendMessageInput {
  conversationId: string;
  body: string;
  clientId: string;
  internal?: boolean | undefined;
  attachmentIds?: string[] | undefined;
}

/** A retry: the first message stands, and nothing else happens. */
async function retried(scope: Scope, conversationId: string, messageId: string) {
  const [first] = await scope.tx.select().from(messages).where(eq(messages.id, messageId));
  if (first!.conversationId !== conversationId)
    throw conflict("This clientId was used in another conversation.");
  return { message: (await presentMessages(scope, [first!]))[0]!, duplicate: true };
}

/**
 * Masks and stores a message, then (after commit) announces it. A retry with the same clientId returns the
 * first message and changes nothing.
 */
export async function sendMessage(
  scope: Scope,
  sender: Viewer & { name: string },
  input: SendMessageInput,
): Promise<{ message: MessageView; duplicate: boolean }> {
  const body = input.body.trim();
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  if (!body && !attachmentIds.length) throw invalid({ body: "is empty" });
  const staff = isStaff(sender.role);
  const { row, participation, extra } = await loadConversation(scope, sender, input.conversationId, {
    forUpdate: true,
    extra: {
      settings: sql<unknown>`select ${tenants.settings} from ${tenants}`,
      earlier: sql<string | null>`select ${messages.id} from ${messages}
        where ${messages.senderId} = ${sender.id} and ${messages.clientId} = ${input.clientId}`,
      ticketId: sql<string | null>`select ${tickets.id} from ${tickets}
        where ${tickets.conversationId} = ${conversations.id}`,
    },
  });
  // A retry whose first attempt is stored gets it back, whatever happened to the conversation since.
  if (extra.earlier) return retried(scope, row.id, extra.earlier);

  if (!conversationPolicy.write(sender, row, participation)) {
    if (row.status === "archived") throw conflict("This conversation is archived and read-only.");
    throw forbidden("You cannot write in this conversation.");
  }
  if (input.internal && !conversationPolicy.internalNote(sender))
    throw forbidden("Only staff write internal notes.");
  if (row.status === "closed" && !staff) throw conflict("This conversation is closed. Start a new one.");

  const settings = resolveSettings(extra.settings);
  const masking = settings.masking;
  const masked = maskSensitive(body, { accountNumbers: masking.accountNumbers, ibans: masking.ibans });

  const touch: Partial<typeof conversations.$inferInsert> = {};
  if (!staff) {
    // A customer's message reopens a chat waiting on them, or one that was resolved.
    if (row.status === "pending") touch.status = "open";
    if (row.status === "resolved") Object.assign(touch, await comeBack(scope, row), { resolvedAt: null });
  } else if (
    !input.internal &&
    row.kind === "support" &&
    !row.firstResponseAt &&
    row.customerId !== sender.id
  ) {
    touch.firstResponseAt = new Date();
  }
  const mentions = staff ? await findMentions(scope, masked.text, sender.id) : [];
  if (mentions.length) {
    // Being mentioned brings a colleague into the conversation, so they can read it and answer.
    await scope.tx
      .insert(participants)
      .values(
        mentions.map((userId) => ({
          conversationId: row.id,
          userId,
          tenantId: row.tenantId,
          role: "member" as const,
        })),
      )
      .onConflictDoNothing();
  }
  const appended = await appendMessage(
    scope,
    row,
    {
      senderId: sender.id,
      senderType: staff ? "staff" : "customer",
      senderName: sender.name,
      body: masked.text,
      masked: masked.masked,
      internal: input.internal ?? false,
      clientId: input.clientId,
      mentions,
      // Staff who write, or the chat's own customer, take part from now on if they did not yet.
      join: participation
        ? undefined
        : staff
          ? "agent"
          : row.customerId === sender.id
            ? "customer"
            : undefined,
    },
    touch,
  );
  // A retry that committed while this one waited for the lock.
  if (appended.duplicateId !== null) return retried(scope, row.id, appended.duplicateId);
  const files = attachmentIds.length
    ? await scope.tx
        .update(attachments)
        .set({ messageId: appended.message.id, conversationId: row.id })
        .where(
          and(
            inArray(attachments.id, attachmentIds),
            eq(attachments.uploaderId, sender.id),
            isNull(attachments.messageId),
          ),
        )
        .returning({
          id: attachments.id,
          name: attachments.name,
          mime: attachments.mime,
          size: attachments.size,
        })
    : [];
  if (files.length !== attachmentIds.length)
    throw invalid({ attachmentIds: "must be your own unsent uploads" });
  const message = presentMessage(
    appended.message,
    attachmentIds.map((id) => files.find((f) => f.id === id)!),
  );
  await ticketOnMessage(scope, appended.conversation, extra.ticketId, settings, sender, message);
  announceMessage(scope, message, appended.members);
  notifyOffline(scope, row.tenantId, message, appended.members);
  announceMentions(scope, mentions, { conversationId: row.id, body: masked.text, senderName: sender.name });
  if (touch.status || touch.firstResponseAt) await announceConversation(scope, appended.conversation);
  if (touch.status) await afterStatusChange(scope, row, appended.conversation);
  return { message, duplicate: false };
}
