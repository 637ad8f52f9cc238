/**
 * `npm run bench:fill`: fills a PostgreSQL database of its own with tickets for the tickets benchmark
 * (bench/tickets.ts). By default 100 tenants (sizes skewed: the largest ~6% of the tickets), 20 staff each,
 * ~1,000 customers per tenant on average, 1,000,000 tickets and 10,000,000 messages in the tickets' threads,
 * over the last two years. DATABASE_URL names the database (default switchboard_scale on 127.0.0.1:5432); it is
 * created and migrated when missing. Each tenant is one transaction, so an interrupted fill resumes where it
 * stopped; a filled database is left alone. Staff sign in as admin@scale-001.test (agent01@…, lead1@…) with
 * the password scale-password-1.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase } from "../src/server/db/client";
import { hashPassword } from "../src/server/modules/auth/password";
import { ensureDatabase, fail, pending, refuseOthers, report } from "./lib/fill-database";
import { type FillSize, fillPassword, tenantPlan, tenantSizes } from "./lib/fill-plan";
import { loadBodyPool, writeTenant } from "./lib/fill-sql";
import { messagePool, seeded } from "./lib/fill-text";
import { duration, progress } from "./lib/progress";

const defaultUrl = "postgres://postgres@127.0.0.1:5432/switchboard_scale";

const usage = `usage: npm run bench:fill -- [--tenants 100] [--tickets 1000000] [--messages 10000000] [--jobs 2]
  DATABASE_URL names the database to fill (default ${defaultUrl}).`;

function options(): FillSize & { jobs: number } {
  const { values } = parseArgs({
    options: {
      tenants: { type: "string", default: "100" },
      tickets: { type: "string", default: "1000000" },
      messages: { type: "string", default: "10000000" },
      jobs: { type: "string", default: String(Math.min(2, cpus().length)) },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const num = (name: keyof typeof values) => {
    const n = Number(String(values[name]).replace(/[_,]/g, ""));
    if (!Number.isSafeInteger(n) || n < 1)
      fail(`--${name} must be a whole number above 0, not ${values[name]}`);
    return n;
  };
  const size = {
    tenants: num("tenants"),
    tickets: num("tickets"),
    messages: num("messages"),
    jobs: num("jobs"),
  };
  if (size.tenants > 999) fail("--tenants must be at most 999");
  if (size.tickets < size.tenants) fail("--tickets must be at least --tenants (every tenant gets tickets)");
  if (size.messages < size.tickets)
    fail("--messages must be at least --tickets (every ticket opens with one)");
  return size;
}

const loadAtStart = loadavg();

async function main() {
  const size = options();
  const url = process.env.DATABASE_URL ?? defaultUrl;
  const started = performance.now();
  const name = await ensureDatabase(url);
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  await refuseOthers(check);
  const database = await openDatabase({ url, poolSize: 1 });
  await database.migrate();
  await database.close();

  const sizes = tenantSizes(size);
  const todo = await pending(check, sizes);
  if (!todo.length) {
    console.log(
      `${name} is already filled: ${size.tenants} tenants, ${size.tickets.toLocaleString("en")} tickets, ` +
        `${size.messages.toLocaleString("en")} messages. Nothing to do (drop the database to fill it again).`,
    );
    await check.end();
    return;
  }
  if (todo.length < sizes.length)
    console.log(`resuming: ${sizes.length - todo.length} tenants are already there`);
  todo.sort((a, b) => b.tickets - a.tickets); // the largest first, so the jobs finish together
  const customers = todo.reduce((n, s) => n + s.customers + 20, 0);
  const tickets = todo.reduce((n, s) => n + s.tickets, 0);
  const messages = todo.reduce((n, s) => n + s.messages, 0);
  console.log(
    `filling ${name}: ${todo.length} tenants, ${customers.toLocaleString("en")} people, ` +
      `${tickets.toLocaleString("en")} tickets, ${messages.toLocaleString("en")} messages, ${size.jobs} at a time`,
  );

  const passwordHash = await hashPassword(fillPassword);
  const pool = messagePool(seeded(42), 5000);
  // Per ticket: its thread, itself, about two participants and one audit entry; an estimate for the bar.
  const bar = progress(customers + tickets * 5 + messages);
  const now = Date.now();
  const queue = [...todo];
  const fillStarted = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(size.jobs, todo.length) }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const bodies = await loadBodyPool(client, pool);
        for (let next = queue.shift(); next; next = queue.shift()) {
          const t0 = performance.now();
          const plan = tenantPlan(next, now);
          await writeTenant(client, plan, bodies, passwordHash, now, (w) =>
            bar.add(w.rows, { tickets: w.tickets, messages: w.messages }),
          );
          bar.line(
            `${next.slug}: ${next.tickets.toLocaleString("en")} tickets, ${next.messages.toLocaleString("en")} ` +
              `messages in ${duration(performance.now() - t0)}; ${bar.summary()}`,
          );
        }
      } finally {
        await client.end();
      }
    }),
  );
  const fillMs = performance.now() - fillStarted;
  bar.finish();

  console.log(
    "vacuum and analyze (what autovacuum would do next, so plans and index-only scans are realistic)…",
  );
  const vacuumStarted = performance.now();
  await check.query(
    "vacuum (analyze) tenants, users, teams, counters, conversations, participants, tickets, messages, activity",
  );
  const vacuumMs = performance.now() - vacuumStarted;
  await report(check, name, size, { fillMs, vacuumMs, totalMs: performance.now() - started }, loadAtStart);
  await check.end();
}

process.on("SIGINT", () => {
  // Each tenant is one transaction: the one being written rolls back with the connection, the others stay.
  process.stderr.write(
    "\nbench:fill: interrupted; finished tenants are kept, the same command finishes the fill\n",
  );
  process.exit(130);
});

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:fill failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
