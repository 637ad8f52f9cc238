import { readFileSync, writeFileSync } from "node:fs";
import { buildApp } from "../src/server/app";
import { loadConfig } from "../src/server/config";
import { openDatabase } from "../src/server/db/client";
import { createLogger } from "../src/server/lib/logger";
import { permissionTable, replaceTable } from "../src/server/lib/permission-table";

/** Rewrites the README's permission matrix from the routes' declared access. */
const config = loadConfig({ ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "" });
const database = await openDatabase({});
const app = await buildApp({ config, database, logger: createLogger(config) });
await app.ready();
writeFileSync("README.md", replaceTable(readFileSync("README.md", "utf8"), permissionTable(app.routeTable)));
await app.close();
await database.close();
