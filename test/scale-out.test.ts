import { createConnection } from "node:net";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { MessageView } from "../src/protocol/events";
import { type ServerProcess, startServerProcess } from "./helpers/process";
import { type ClientSocket, connectSocket, next, request } from "./helpers/socket";
import { cloneDatabase, databaseUrl, dropDatabase } from "./helpers/templates";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function redisUp(): Promise<boolean> {
  const { hostname, port } = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

const onPostgres = inject("templates").kind === "postgres";
const haveRedis = await redisUp();
if (!onPostgres)
  console.log("scale-out: two server processes need a shared PostgreSQL; runs in the PostgreSQL pass");
if (onPostgres && !haveRedis && !process.env.CI) console.log(`scale-out: no Redis at ${redisUrl}; skipping`);

describe.skipIf(!onPostgres || (!haveRedis && !process.env.CI))(
  "two server processes on PostgreSQL and Redis",
  () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it("a customer on one and an agent on the other talk both ways; when one dies its clients catch up on the other", async () => {
      const name = await cloneDatabase(inject("templates").seeded);
      cleanups.push(() => dropDatabase(name));
      const env = { DATABASE_URL: databaseUrl(name), REDIS_URL: redisUrl, SEED_DEMO: "never" };
      const [a, b] = (await Promise.all([startServerProcess(env), startServerProcess(env)])) as [
        ServerProcess,
        ServerProcess,
      ];
      cleanups.push(
        () => a.kill("SIGKILL"),
        () => b.kill("SIGKILL"),
      );

      const login = async (url: string, email: string) => {
        const res = await fetch(`${url}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ tenant: "acme", email, password: "demo-password-1" }),
        });
        return (await res.json()) as { token: string; user: { id: string } };
      };
      const john = await login(a.url, "john@acme.test");
      const sarah = await login(b.url, "sarah@acme.test");
      const created = await fetch(`${a.url}/api/v1/conversations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${john.token}` },
        body: JSON.stringify({ subject: "Two servers", message: "Hello from server A" }),
      });
      const conversationId = ((await created.json()) as { id: string }).id;
      const picked = await fetch(`${b.url}/api/v1/conversations/${conversationId}/assign`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${sarah.token}` },
        body: JSON.stringify({ assigneeId: sarah.user.id }),
      });
      expect(picked.status).toBe(200);

      const customer: ClientSocket = await connectSocket(a.url, { token: john.token });
      const agent: ClientSocket = await connectSocket(b.url, { token: sarah.token });
      cleanups.push(
        () => void customer.close(),
        () => void agent.close(),
      );
      await request(customer, "conversation:join", { conversationId });
      await request(agent, "conversation:join", { conversationId });

      const toAgent = next(agent, "message:new", (p) => p.message.clientId === "a-to-b");
      await request(customer, "message:send", {
        conversationId,
        body: "Through Redis to B",
        clientId: "a-to-b",
      });
      expect((await toAgent).message.body).toBe("Through Redis to B");
      const toCustomer = next(customer, "message:new", (p) => p.message.clientId === "b-to-a");
      await request(agent, "message:send", { conversationId, body: "And back to A", clientId: "b-to-a" });
      expect((await toCustomer).message.body).toBe("And back to A");
      const typing = next(agent, "typing", (t) => t.isTyping);
      await request(customer, "typing:start", { conversationId });
      expect((await typing).name).toBe("John Doe");

      const joined = await request<{ lastSeq: number }>(customer, "conversation:join", { conversationId });
      const lastSeen = joined.ok ? joined.lastSeq : 0;
      await a.kill("SIGKILL");
      const sentWhileDown: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await request<{ message: MessageView }>(agent, "message:send", {
          conversationId,
          body: `While A is down ${i}`,
          clientId: `down-${i}`,
        });
        if (res.ok) sentWhileDown.push(res.message.seq);
      }
      // The customer's client reconnects to the surviving server and catches up from its last seq.
      const back = await connectSocket(b.url, { token: john.token });
      cleanups.push(() => void back.close());
      const caught = await request<{ messages: MessageView[] }>(back, "conversation:join", {
        conversationId,
        afterSeq: lastSeen,
      });
      expect(caught.ok).toBe(true);
      if (caught.ok) expect(caught.messages.map((m) => m.seq)).toEqual(sentWhileDown);
    }, 180_000);
  },
);
