import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type ServerProcess, startServerProcess } from "./helpers/process";
import { cloneDatabase, databaseUrl, dropDatabase } from "./helpers/templates";

const onPostgres = inject("templates").kind === "postgres";
if (!onPostgres)
  console.log("routing across processes: two servers need a shared PostgreSQL; runs in the PostgreSQL pass");

describe.skipIf(!onPostgres)("routing with two server processes on one PostgreSQL", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("200 chats started at once through both processes at 10 agents with room for 5: 50 assigned, 150 queued, nobody over", async () => {
    const name = await cloneDatabase(inject("templates").seeded);
    cleanups.push(() => dropDatabase(name));
    const env = { DATABASE_URL: databaseUrl(name), SEED_DEMO: "never" };
    const [a, b] = (await Promise.all([startServerProcess(env), startServerProcess(env)])) as [
      ServerProcess,
      ServerProcess,
    ];
    cleanups.push(
      () => a.kill("SIGKILL"),
      () => b.kill("SIGKILL"),
    );
    const api = async (base: string, method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> & { token?: string } };
    };
    const admin = (
      await api(a.url, "POST", "/auth/login", undefined, {
        tenant: "acme",
        email: "admin@acme.test",
        password: "demo-password-1",
      })
    ).body.token!;
    const agents: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const email = `spread${i}@acme.test`;
      const made = await api(a.url, "POST", "/staff", admin, {
        email,
        name: `Spread Agent ${i}`,
        role: "agent",
        password: "agent-password-1",
        maxChats: 5,
      });
      expect(made.status).toBe(201);
      const token = (
        await api(i % 2 ? a.url : b.url, "POST", "/auth/login", undefined, {
          tenant: "acme",
          email,
          password: "agent-password-1",
        })
      ).body.token!;
      agents.push(token);
    }
    const customers: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const res = await api(b.url, "POST", "/auth/signup", undefined, {
        tenant: "acme",
        email: `spread-client${i}@acme.test`,
        name: `Spread Client ${i}`,
        password: "client-password-1",
      });
      expect(res.status).toBe(201);
      customers.push(res.body.token!);
    }
    // Agents come online through either process while the chats arrive through both.
    const results = await Promise.all([
      ...agents.map((token, i) =>
        api(i % 2 ? b.url : a.url, "PATCH", "/me/availability", token, { status: "online" }),
      ),
      ...Array.from({ length: 200 }, (_, i) =>
        api(i % 2 ? a.url : b.url, "POST", "/conversations", customers[i % customers.length], {
          subject: `Spread ${i}`,
          message: `Chat ${i}`,
        }),
      ),
    ]);
    if (results.some((r) => r.status >= 500)) console.log(a.output().slice(-3000), b.output().slice(-3000));
    expect(results.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);

    // Whatever each process saw, the drains that follow settle the same way: read the database.
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    cleanups.push(() => client.end());
    const { rows } = await client.query<{
      status: string;
      assignee: string | null;
      max_chats: number | null;
    }>(`
      select c.status, c.assignee_id as assignee, u.max_chats
      from conversations c left join users u on u.id = c.assignee_id
      where c.subject like 'Spread %'`);
    const open = rows.filter((r) => r.status === "open");
    expect(open).toHaveLength(50);
    expect(rows.filter((r) => r.status === "queued")).toHaveLength(150);
    const load = new Map<string, number>();
    for (const r of open) load.set(r.assignee!, (load.get(r.assignee!) ?? 0) + 1);
    expect([...load.values()]).toEqual(Array.from({ length: 10 }, () => 5));
    const twice = await client.query(
      `select subject_id from activity where action = 'conversation.routed' group by subject_id having count(*) > 1`,
    );
    expect(twice.rows).toEqual([]);
  }, 180_000);
});
