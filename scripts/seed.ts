import { join } from "node:path";
import { loadConfig } from "../src/server/config";
import { openDatabase } from "../src/server/db/client";
import { clearAll, demoPassword, seedDemo } from "../src/server/db/seed";

/** Empties the configured database and seeds the demo data again. */
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") });
await database.migrate();
await clearAll(database.db);
const signIns = await seedDemo(database.db);
await database.close();
console.log(`demo data seeded; password "${demoPassword}" for:`);
for (const s of signIns) console.log(`  ${s.role.padEnd(12)} ${s.tenant.padEnd(7)} ${s.email}`);
