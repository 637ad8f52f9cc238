import { and, eq } from "drizzle-orm";
import type { Conversation } from "../../../protocol/conversation";
import { can, isStaff } from "../../../protocol/roles";
import { conversations, teams, users } from "../../db/schema";
import { conflict, forbidden, invalid } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { maskSensitive } from "../masking/mask";
import { postSystemMessage } from "../messages/append-message";
import {
  type AssignHow,
  assignTo,
  drainQueue,
  lockRouting,
  openChatsOf,
  postNote,
  queueChanged,
} from "../routing/routing";
import { announceConversation } from "./conversation.events";
import type { Viewer } from "./conversation.policy";
import { presentConversation } from "./conversation.presenter";
import { loadConversationForUpdate } from "./load-conversation";

/**
 * Pickup (an agent takes a queued chat), transfer (the holder hands it on, to a person or a team's queue) and
 * reassignment (team leads and above). The conversation's row lock means two agents cannot take the same chat;
 * the tenant's routing lock, that two assignments cannot both take someone's last free place. Whoever gave a chat away has room again,
 * so the queue drains.
 */
export async function assignConversation(
  scope: Scope,
  actor: Viewer & { name: string },
  id: string,
  input: {
    assigneeId?: string | undefined;
    teamId?: string | undefined;
    note?: string | undefined;
    pickup?: boolean | undefined;
  },
): Promise<Conversation> {
  const note = input.note ? maskSensitive(input.note).text : undefined;
  const { row } = await loadConversationForUpdate(scope, actor, id).catch(async (err) => {
    // A chat an agent saw in the queue and someone else took meanwhile is no longer theirs to see; say what happened.
    if (input.assigneeId === actor.id && (await isSupportChat(scope, id)))
      throw conflict("Someone else has already taken this chat.");
    throw err;
  });
  await lockRouting(scope);
  if (row.kind !== "support") throw invalid({ id: "only support chats are assigned" });
  if (row.status === "closed" || row.status === "archived" || row.status === "resolved") {
    throw conflict(`A ${row.status} conversation cannot be assigned.`);
  }
  const self = input.assigneeId === actor.id;
  const pickup = self && row.status === "queued" && !row.assigneeId;
  if (input.pickup && !pickup) {
    throw self
      ? conflict("Someone else has already taken this chat.")
      : invalid({ pickup: "is for taking a chat oneself" });
  }
  const transfer = row.assigneeId === actor.id;
  if (
    !can(actor.role, "chats.reassign") &&
    !(pickup && can(actor.role, "chats.pickup")) &&
    !(transfer && can(actor.role, "chats.transfer"))
  ) {
    throw row.assigneeId && self
      ? conflict("Someone else has already taken this chat.")
      : forbidden("You cannot assign this chat.");
  }
  const by = { id: actor.id, name: actor.name };
  if (input.teamId)
    return presentConversation(scope, actor, await toTeam(scope, row, input.teamId, by, note));
  if (row.assigneeId === input.assigneeId) return presentConversation(scope, actor, row);
  const [agent] = await scope.tx.select().from(users).where(eq(users.id, input.assigneeId!));
  if (!agent || !isStaff(agent.role) || agent.status !== "active")
    throw invalid({ assigneeId: "must be active staff of this tenant" });
  const load = await openChatsOf(scope, agent.id);
  if (load >= agent.maxChats)
    throw conflict(`${agent.name} has no room for another chat (${load} of ${agent.maxChats}).`);
  const how: AssignHow = pickup ? "picked_up" : row.assigneeId ? "transferred" : "assigned";
  const conversation = await assignTo(scope, row, agent, how, note ? { by, text: note } : undefined);
  if (row.assigneeId) await drainQueue(scope);
  return presentConversation(scope, actor, conversation);
}

async function isSupportChat(scope: Scope, id: string): Promise<boolean> {
  const [found] = await scope.tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.kind, "support")));
  return !!found;
}

/** Into a team's queue: nobody holds the chat until someone of the team takes it (or routing gives it). */
async function toTeam(
  scope: Scope,
  row: Parameters<typeof assignTo>[1],
  teamId: string,
  by: { id: string; name: string },
  note: string | undefined,
) {
  const [team] = await scope.tx.select().from(teams).where(eq(teams.id, teamId));
  if (!team) throw invalid({ teamId: "must be a team of this tenant" });
  if (row.teamId === team.id && !row.assigneeId) return row;
  let conversation = await postSystemMessage(
    scope,
    row,
    `The chat was transferred to the ${team.name} team.`,
    {
      teamId: team.id,
      assigneeId: null,
      assignedAt: null,
      status: "queued",
      queuedAt: new Date(),
    },
  );
  await recordActivity(scope, {
    action: "conversation.transferred",
    subjectType: "conversation",
    subjectId: row.id,
    oldValue: { assigneeId: row.assigneeId, teamId: row.teamId, status: row.status },
    newValue: { assigneeId: null, teamId: team.id, status: "queued" },
    metadata: note ? { note } : {},
  });
  if (note) conversation = await postNote(scope, conversation, by, note);
  await announceConversation(scope, conversation);
  queueChanged(scope);
  // Someone of the team may have room now; the chat comes back as routing left it.
  if (!(await drainQueue(scope))) return conversation;
  const [fresh] = await scope.tx.select().from(conversations).where(eq(conversations.id, row.id));
  return fresh!;
}
