import { randomBytes } from "node:crypto";
import pg from "pg";

/** Where test databases come from: PostgreSQL when DATABASE_URL is set, the embedded database otherwise. */
export const postgresUrl = process.env.DATABASE_URL || undefined;

export function databaseUrl(name: string): string {
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Copies a template database; PostgreSQL refuses while another copy holds the template, so it retries. */
export async function cloneDatabase(template: string): Promise<string> {
  const name = `sb_test_${randomBytes(6).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`create database ${name} template ${template}`));
      return name;
    } catch (err) {
      if (attempt > 50 || !String(err).includes("being accessed by other users")) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
}
