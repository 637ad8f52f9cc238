import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Ack, MessageView } from "../src/protocol/events";
import { type ServerProcess, startServerProcess } from "./helpers/process";
import { connectSocket } from "./helpers/socket";
import { cloneDatabase, databaseUrl, dropDatabase } from "./helpers/templates";

const password = "demo-password-1";

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant: "acme", email, password }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * Acknowledged means durable: a client streams messages, the server is killed with SIGKILL mid-stream, and after
 * a restart every acknowledged message is there exactly once, with no gap in seq.
 */
describe(`a crash loses no acknowledged message (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("every acknowledged message survives kill -9, exactly once", async () => {
    const templates = inject("templates");
    let env: Record<string, string>;
    if (templates.kind === "postgres") {
      const name = await cloneDatabase(templates.seeded);
      cleanups.push(() => dropDatabase(name));
      env = { DATABASE_URL: databaseUrl(name), SEED_DEMO: "never" };
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), "switchboard-crash-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env = { DATABASE_URL: "", DATA_DIR: dataDir, SEED_DEMO: "auto" };
    }
    let server: ServerProcess = await startServerProcess(env);
    cleanups.push(() => server.kill("SIGKILL"));
    const token = await login(server.url, "john@acme.test");
    const created = await fetch(`${server.url}/api/v1/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ subject: "Crash test" }),
    });
    const conversationId = ((await created.json()) as { id: string }).id;

    const socket = await connectSocket(server.url, { token });
    const acked = new Map<string, number>();
    let sent = 0;
    let killed = false;
    const send = (i: number) =>
      new Promise<void>((resolve) => {
        const clientId = `crash-${i}`;
        sent++;
        const timer = setTimeout(resolve, 3000);
        socket.emit(
          "message:send",
          { conversationId, body: `Message ${i}`, clientId },
          (ack: Ack<{ message: MessageView }>) => {
            clearTimeout(timer);
            if (ack.ok) acked.set(clientId, ack.message.seq);
            resolve();
          },
        );
      });
    // Five sends in flight at a time, paced under the socket's rate limit (20/s); the kill lands while some are
    // unanswered.
    const stream = (async () => {
      for (let i = 0; !killed && i < 2000; i += 5) {
        const started = Date.now();
        await Promise.all([0, 1, 2, 3, 4].map((k) => send(i + k)));
        await new Promise((r) => setTimeout(r, Math.max(0, 300 - (Date.now() - started))));
      }
    })();
    while (acked.size < 60) await new Promise((r) => setTimeout(r, 5));
    await server.kill("SIGKILL");
    killed = true;
    await stream;
    socket.close();
    expect(acked.size).toBeGreaterThanOrEqual(60);

    server = await startServerProcess(env);
    const fresh = await login(server.url, "john@acme.test");
    const items: MessageView[] = [];
    for (let after = 0; ; ) {
      const res = await fetch(
        `${server.url}/api/v1/conversations/${conversationId}/messages?after=${after}&limit=200`,
        {
          headers: { authorization: `Bearer ${fresh}` },
        },
      );
      const page = (await res.json()) as { items: MessageView[]; nextCursor: string | null };
      items.push(...page.items);
      if (!page.nextCursor) break;
      after = Number(page.nextCursor);
    }
    const byClient = new Map<string, number>();
    for (const m of items) byClient.set(m.clientId ?? "", (byClient.get(m.clientId ?? "") ?? 0) + 1);
    for (const [clientId, seq] of acked) {
      expect(byClient.get(clientId), clientId).toBe(1);
      expect(items.find((m) => m.clientId === clientId)?.seq).toBe(seq);
    }
    expect(items.map((m) => m.seq)).toEqual(items.map((_, i) => i + 1));
    expect(sent).toBeGreaterThan(acked.size - 1);
  }, 180_000);
});
