import { z } from "zod";
import type { Conversation } from "../../../protocol/conversation";
import { errorSchema } from "../../../protocol/schemas";
import { callerOf, scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { listMessages } from "../messages/list-messages";
import { markRead } from "../messages/mark-read";
import { sendMessage } from "../messages/send-message";
import { assignConversation } from "./assign-conversation";
import { changeStatus, type StatusAction } from "./change-status";
import { presentConversation } from "./conversation.presenter";
import {
  assignBody,
  createConversationBody,
  listConversationsQuery,
  listMessagesQuery,
  conversationParams as params,
  ratingBody,
  readBody,
  reasonBody,
  sendMessageBody,
} from "./conversations.schema";
import { createConversation } from "./create-conversation";
import { listConversations } from "./list-conversations";
import { loadConversation } from "./load-conversation";
import { rateConversation } from "./rate-conversation";

// Response shapes are documented by the protocol types; these schemas pass them through unchanged.
const conversationOut = z.custom<Conversation>();
const tags = ["conversations"];

export function conversationRoutes(app: App) {
  const viewerOf = (req: Parameters<typeof callerOf>[0]) => {
    const { user } = callerOf(req);
    return { id: user.id, role: user.role, name: user.name };
  };

  app.post(
    "/conversations",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Start a conversation (support chats are queued or assigned)",
        body: createConversationBody,
        response: { 201: conversationOut, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await scoped(req, (scope) => createConversation(scope, viewerOf(req), req.body))),
  );

  app.get(
    "/conversations",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Conversations the caller may see, newest activity first",
        querystring: listConversationsQuery,
      },
    },
    async (req) => scoped(req, (scope) => listConversations(scope, viewerOf(req), req.query)),
  );

  app.get(
    "/conversations/:id",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "One conversation",
        params,
        response: { 200: conversationOut, 404: errorSchema },
      },
    },
    async (req) =>
      scoped(req, async (scope) => {
        const { row } = await loadConversation(scope, viewerOf(req), req.params.id);
        return presentConversation(scope, viewerOf(req), row);
      }),
  );

  app.get(
    "/conversations/:id/messages",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Messages in seq order (?after= to catch up, ?before= to scroll back)",
        params,
        querystring: listMessagesQuery,
      },
    },
    async (req) =>
      scoped(req, async (scope) => {
        await loadConversation(scope, viewerOf(req), req.params.id);
        const page = await listMessages(scope, viewerOf(req), req.params.id, req.query);
        const edge = req.query.after !== undefined ? page.items.at(-1) : page.items[0];
        return { items: page.items, nextCursor: page.hasMore && edge ? String(edge.seq) : null };
      }),
  );

  app.post(
    "/conversations/:id/messages",
    {
      config: { access: "signed_in" },
      schema: {
        tags,
        summary: "Send a message (the same clientId again returns the first)",
        params,
        body: sendMessageBody,
      },
    },
    async (req, reply) => {
      const result = await scoped(req, (scope) =>
        sendMessage(scope, viewerOf(req), { ...req.body, conversationId: req.params.id }),
      );
      return reply.status(result.duplicate ? 200 : 201).send(result.message);
    },
  );

  app.post(
    "/conversations/:id/read",
    {
      config: { access: "signed_in" },
      schema: { tags, summary: "Mark everything up to seq read", params, body: readBody },
    },
    async (req) => ({
      seq: await scoped(req, (scope) => markRead(scope, viewerOf(req), req.params.id, req.body.seq)),
    }),
  );

  app.post(
    "/conversations/:id/assign",
    {
      config: { access: "chats.pickup" },
      schema: { tags, summary: "Pick up, transfer or reassign a chat", params, body: assignBody },
    },
    async (req) => scoped(req, (scope) => assignConversation(scope, viewerOf(req), req.params.id, req.body)),
  );

  app.post(
    "/conversations/:id/escalate",
    {
      config: { access: "signed_in" },
      schema: { tags, summary: "Escalate to supervisors and admins", params, body: reasonBody },
    },
    async (req) =>
      scoped(req, (scope) => changeStatus(scope, viewerOf(req), req.params.id, "escalate", req.body.reason)),
  );

  for (const action of ["resolve", "close", "reopen", "pending"] as const satisfies StatusAction[]) {
    app.post(
      `/conversations/:id/${action}`,
      {
        config: { access: action === "close" ? "signed_in" : "chats.assigned" },
        schema: { tags, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a conversation`, params },
      },
      async (req) => scoped(req, (scope) => changeStatus(scope, viewerOf(req), req.params.id, action)),
    );
  }

  app.post(
    "/conversations/:id/rating",
    {
      config: { access: "own.rate" },
      schema: { tags, summary: "Rate a resolved or closed chat, once", params, body: ratingBody },
    },
    async (req) => scoped(req, (scope) => rateConversation(scope, viewerOf(req), req.params.id, req.body)),
  );
}
