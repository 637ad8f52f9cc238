import { join } from "node:path";
import { loadConfig } from "../src/server/config";
import { openDatabase } from "../src/server/db/client";

/** Applies pending migrations to the configured database (the server also does this at start). */
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") });
await database.migrate();
await database.close();
console.log(`migrations applied (${database.kind})`);
