/** The scale fill's database: created when missing, checked before anything is written, measured at the end. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { FillSize, TenantSize } from "./fill-plan";
import { duration } from "./progress";
import { root } from "./server";

export function fail(message: string): never {
  process.stderr.write(`bench:fill: ${message}\n`);
  process.exit(2);
}

/** Creates the database when it is missing (connecting to the server's `postgres` database to do so). */
export async function ensureDatabase(url: string) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) fail("DATABASE_URL must name a database");
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!found.rowCount) {
      await admin.query(`create database "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await admin.end();
  }
  return name;
}

/** Refuses, before migrating anything, a database that holds other tenants than the fill's. */
export async function refuseOthers(client: pg.Client) {
  const { rows } = await client.query<{ t: string | null }>(
    "select to_regclass('public.tenants')::text as t",
  );
  if (!rows[0]?.t) return;
  const others = await client.query<{ slug: string }>(
    "select slug from tenants where slug !~ '^scale-[0-9]{3}$' order by slug limit 5",
  );
  if (others.rowCount)
    fail(
      `this database has other tenants (${others.rows.map((r) => r.slug).join(", ")}); ` +
        "the fill only writes into a database of its own: point DATABASE_URL at a new one",
    );
}

/** The tenants still to write; refuses a fill of other sizes. */
export async function pending(client: pg.Client, sizes: TenantSize[]): Promise<TenantSize[]> {
  const { rows } = await client.query<{ slug: string; tickets: number | null }>(
    `select t.slug, c.value as tickets from tenants t
       left join counters c on c.tenant_id = t.id and c.name = 'ticket' order by t.slug`,
  );
  const planned = new Map(sizes.map((s) => [s.slug, s]));
  for (const r of rows) {
    const want = planned.get(r.slug);
    if (!want || want.tickets !== (r.tickets ?? 0))
      fail(
        `this database was filled with other sizes (${r.slug} has ${r.tickets ?? 0} tickets, this run would give ` +
          `it ${want?.tickets ?? "none"}): run again with the same flags to finish it, or drop it to refill`,
      );
  }
  const have = new Set(rows.map((r) => r.slug));
  return sizes.filter((s) => !have.has(s.slug));
}

/** Prints and records the time taken and the database's size, table by table. */
export async function report(
  client: pg.Client,
  name: string,
  size: FillSize,
  times: Record<string, number>,
  loadAtStart: number[],
) {
  const { rows: tables } = await client.query<{
    table: string;
    rows: string;
    bytes: string;
    index_bytes: string;
  }>(
    `select c.relname as table, c.reltuples::bigint as rows, pg_total_relation_size(c.oid) as bytes,
       pg_indexes_size(c.oid) as index_bytes
     from pg_class c where c.relname in ('tickets', 'messages', 'conversations', 'participants', 'users')
     order by pg_total_relation_size(c.oid) desc`,
  );
  const databaseBytes = Number(
    (await client.query<{ b: string }>("select pg_database_size(current_database()) as b")).rows[0]!.b,
  );
  const gib = (b: number | string) => `${(Number(b) / 2 ** 30).toFixed(2)} GiB`;
  console.log(
    `done in ${duration(times.totalMs!)} (writing ${duration(times.fillMs!)}, vacuum and analyze ${duration(times.vacuumMs!)}); ` +
      `database ${name}: ${gib(databaseBytes)}`,
  );
  for (const t of tables)
    console.log(
      `  ${t.table.padEnd(13)} ${Number(t.rows).toLocaleString("en").padStart(11)} rows  ${gib(t.bytes)} (indexes ${gib(t.index_bytes)})`,
    );
  // Only the full fill is a result worth keeping; a smaller one must not overwrite it.
  if (size.tenants !== 100 || size.tickets !== 1_000_000 || size.messages !== 10_000_000) return;
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}-fill.json`);
  const rounded = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)]));
  // Other work on the machine slows the fill: the load average at the start and the end is kept with the times.
  const result = {
    fill: size,
    cpus: cpus().length,
    loadAverage: { start: loadAtStart, end: loadavg() },
    ...rounded,
    databaseBytes,
    tables,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
