import { z } from "zod";
import { conversationKinds, conversationStatuses, priorities } from "../../../protocol/enums";
import { pageQuery } from "../../lib/pagination";

export const conversationParams = z.strictObject({ id: z.uuid("must be an id") });

export const createConversationBody = z.strictObject({
  // A ticket's thread is opened with its ticket (POST /tickets).
  kind: z.enum(conversationKinds.filter((k) => k !== "ticket")).default("support"),
  subject: z.string().trim().max(200).optional(),
  /** The first message, sent by the creator. */
  message: z.string().trim().min(1).max(10_000).optional(),
  /** Staff starting a support chat name the customer here; team and group chats name their members. */
  participantIds: z.array(z.uuid("must be an id")).max(100).optional(),
  /** Group chats: what the group is about, in the system that owns it. */
  contextId: z.string().trim().min(1).max(200).optional(),
  /** Group chats: members who may only read. */
  observerIds: z.array(z.uuid("must be an id")).max(100).optional(),
  priority: z.enum(priorities).optional(),
  teamId: z.uuid("must be an id").optional(),
  clientId: z.string().min(1).max(100).optional().describe("makes the first message's retry harmless"),
});

export const listConversationsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(conversationStatuses).optional(),
  kind: z.enum(conversationKinds).optional(),
  assigneeId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  /** Inbox views for staff. */
  view: z.enum(["mine", "unassigned", "all", "mentions"]).optional(),
  customerId: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional().describe("full-text search over subject and messages"),
  unread: z.enum(["true", "false"]).optional(),
});

export const listMessagesQuery = z
  .strictObject({
    after: z.coerce.number().int().min(0).optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => q.after === undefined || q.before === undefined, {
    message: "use after or before, not both",
    path: ["after"],
  });

export const sendMessageBody = z.strictObject({
  body: z.string().max(10_000, "must be at most 10,000 characters"),
  clientId: z.string().min(1).max(100),
  internal: z.boolean().optional(),
  attachmentIds: z.array(z.uuid("must be an id")).max(10).optional(),
});

export const readBody = z.strictObject({ seq: z.number().int().min(0) });
export const reasonBody = z.strictObject({ reason: z.string().trim().min(1, "is required").max(2000) });
export const ratingBody = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
/** To a person (pickup, transfer, reassignment) or to a team's queue: exactly one of the two. */
export const assignBody = z
  .strictObject({
    assigneeId: z.uuid("must be an id").optional(),
    teamId: z.uuid("must be an id").optional(),
    note: z.string().trim().max(2000).optional(),
    /** Only from the queue: a chat someone took meanwhile is a 409, even for those who may reassign. */
    pickup: z.boolean().optional(),
  })
  .refine((b) => (b.assigneeId === undefined) !== (b.teamId === undefined), {
    message: "name either an assignee or a team",
    path: ["assigneeId"],
  });
