import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/server/db/client";
import { seedDemo } from "../../src/server/db/seed";
import { databaseUrl, dropDatabase, postgresUrl, withAdmin } from "./templates";

declare module "vitest" {
  export interface ProvidedContext {
    templates:
      | { kind: "pglite"; migrated: string; seeded: string }
      | { kind: "postgres"; migrated: string; seeded: string };
  }
}

/**
 * Migrates (and seeds) a database once per run; every test file then starts from a copy, which takes about a
 * second instead of the four to ten a fresh embedded database needs.
 */
export default async function setup(project: TestProject) {
  if (postgresUrl) {
    const suffix = `${process.pid}_${Date.now().toString(36)}`;
    const names = { migrated: `sb_tpl_migrated_${suffix}`, seeded: `sb_tpl_seeded_${suffix}` };
    for (const [kind, name] of Object.entries(names)) {
      await withAdmin((c) => c.query(`create database ${name}`));
      const database = await openDatabase({ url: databaseUrl(name), poolSize: 2 });
      await database.migrate();
      if (kind === "seeded") await seedDemo(database.db);
      await database.close();
    }
    project.provide("templates", { kind: "postgres", ...names });
    return async () => {
      for (const name of Object.values(names)) await dropDatabase(name);
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "switchboard-templates-"));
  const files = { migrated: join(dir, "migrated.tar"), seeded: join(dir, "seeded.tar") };
  const database = await openDatabase({});
  await database.migrate();
  const client = (database.db as unknown as { $client: PGlite }).$client;
  writeFileSync(files.migrated, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  await seedDemo(database.db);
  writeFileSync(files.seeded, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  await database.close();
  project.provide("templates", { kind: "pglite", ...files });
  return () => rmSync(dir, { recursive: true, force: true });
}
