import { z } from "zod";
import { callStatuses, priorities } from "../../../protocol/enums";
import { scoped } from "../../lib/deps";
import type { App } from "../../lib/http";
import { readCallQueue } from "../calls/call-queue";
import { readQueue } from "./queue";

const place = {
  conversationId: z.uuid(),
  position: z.number().int(),
  waitingSeconds: z.number().int(),
  expectedWaitSeconds: z.number().int().nullable(),
};
const queuedChat = z.object({
  ...place,
  number: z.number().int(),
  subject: z.string().nullable(),
  priority: z.enum(priorities),
  teamId: z.uuid().nullable(),
  customer: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
  queuedAt: z.string(),
  overdue: z.boolean(),
});

const queuedCall = z.object({
  callId: z.uuid(),
  position: z.number().int(),
  waitingSeconds: z.number().int(),
  status: z.enum(callStatuses),
  customer: z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable() }).nullable(),
  conversationId: z.uuid().nullable(),
  queuedAt: z.string(),
});

export function queueRoutes(app: App): void {
  app.get(
    "/queue",
    {
      config: { access: "queue.view" },
      schema: {
        tags: ["queue"],
        summary: "The chat and call queues in order, with each one's position and waiting time",
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({ chats: z.array(queuedChat), calls: z.array(queuedCall), total: z.number().int() }),
        },
      },
    },
    async (req) => {
      const [view, callView] = await scoped(req, async (scope) => [
        await readQueue(scope, req.query.limit),
        await readCallQueue(scope, req.query.limit),
      ]);
      return { chats: view.chats, calls: callView.calls, total: view.total };
    },
  );
}
