import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase, queryRows } from "../src/server/db/client";
import { inSystem } from "../src/server/db/tenant-scope";
import { containsCardNumber, luhnValid } from "../src/server/modules/masking/mask";
import { startServerProcess } from "./helpers/process";
import { connectSocket, request } from "./helpers/socket";
import { cloneDatabase, databaseUrl, dropDatabase } from "./helpers/templates";

/** A random Luhn-valid card number of the given length, grouped the way people type them. */
function cardNumber(length: number, separator: string): string {
  const digits = [4, ...Array.from({ length: length - 2 }, () => Math.floor(Math.random() * 10))];
  for (let check = 0; check < 10; check++) {
    if (luhnValid([...digits, check].join(""))) {
      const all = [...digits, check].join("");
      return all.match(/.{1,4}/g)!.join(separator);
    }
  }
  throw new Error("unreachable");
}

describe("no card number reaches the database or the logs", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("after a run full of card numbers, a scan of every table and every log line finds none", async () => {
    const templates = inject("templates");
    let env: Record<string, string>;
    let dataDir = "";
    if (templates.kind === "postgres") {
      const name = await cloneDatabase(templates.seeded);
      cleanups.push(() => dropDatabase(name));
      env = { DATABASE_URL: databaseUrl(name), SEED_DEMO: "never" };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), "switchboard-scan-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env = { DATABASE_URL: "", DATA_DIR: dataDir, SEED_DEMO: "auto" };
    }
    // Debug logging writes every request line: the logs get as much chance to leak as they ever will.
    const server = await startServerProcess({ ...env, LOG_LEVEL: "debug" });
    cleanups.push(() => server.kill("SIGKILL"));
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          ...(body ? { "content-type": "application/json" } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return {
        status: res.status,
        body: ((await res.json().catch(() => null)) ?? {}) as Record<string, unknown>,
      };
    };
    const login = async (email: string) =>
      (await call("POST", "/auth/login", undefined, { tenant: "acme", email, password: "demo-password-1" }))
        .body.token as string;

    const signup = await call("POST", "/auth/signup", undefined, {
      tenant: "acme",
      email: "carla@acme.test",
      password: "a long enough password",
      name: `Carla ${cardNumber(16, " ")}`,
    });
    expect(signup.status).toBe(201);
    const carla = signup.body.token as string;
    const sarah = await login("sarah@acme.test");
    const sarahId = ((await call("GET", "/me", sarah)).body.user as { id: string }).id;
    const chat = await call("POST", "/conversations", carla, {
      subject: `Card ${cardNumber(16, "-")} declined`,
      message: `My card ${cardNumber(16, " ")} with CVV 123 was declined`,
    });
    const id = chat.body.id as string;
    await call("POST", `/conversations/${id}/assign`, sarah, { assigneeId: sarahId });

    const customer = await connectSocket(server.url, { token: carla });
    const agent = await connectSocket(server.url, { token: sarah });
    cleanups.push(
      () => void customer.close(),
      () => void agent.close(),
    );
    for (let i = 0; i < 40; i++) {
      const length = 13 + (i % 7);
      const card = cardNumber(length, ["", " ", "-"][i % 3]!);
      const who = i % 2 ? agent : customer;
      const sent = await request(who, "message:send", {
        conversationId: id,
        body: `Try ${card} again (${i})`,
        clientId: `scan-${i}`,
        internal: who === agent && i % 4 === 1,
      });
      expect(sent.ok).toBe(true);
    }
    await call("GET", `/conversations?q=${encodeURIComponent(cardNumber(16, " "))}`, sarah);
    await call("POST", `/conversations/${id}/messages`, carla, {
      body: `x${"y".repeat(10_001)} ${cardNumber(16, "")}`,
      clientId: "too-long",
    });
    await call("POST", `/conversations/${id}/escalate`, sarah, { reason: `Fraud on ${cardNumber(16, " ")}` });
    await call("POST", `/conversations/${id}/resolve`, sarah);
    const rated = await call("POST", `/conversations/${id}/rating`, carla, {
      score: 5,
      comment: `Thanks! ${cardNumber(15, " ")}`,
    });
    expect(rated.status).toBe(200);
    await server.kill("SIGTERM");

    const logs = server.output();
    expect(logs.length).toBeGreaterThan(1000);
    const leakingLines = logs.split("\n").filter(containsCardNumber);
    expect(leakingLines).toEqual([]);

    const database = await openDatabase(
      templates.kind === "postgres" ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, "db") },
    );
    cleanups.push(() => database.close());
    const tables = await inSystem(database.db, (tx) =>
      queryRows<{ name: string }>(
        tx,
        sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      ),
    );
    expect(tables.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    let rows = 0;
    for (const { name } of tables) {
      const dump = await inSystem(database.db, (tx) =>
        queryRows<{ row: string }>(tx, sql`select t::text as row from ${sql.identifier(name)} t`),
      );
      rows += dump.length;
      for (const { row } of dump) if (containsCardNumber(row)) leaks.push(`${name}: ${row.slice(0, 200)}`);
    }
    expect(rows).toBeGreaterThan(80);
    expect(leaks).toEqual([]);
  }, 180_000);
});
