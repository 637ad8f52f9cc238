import { join } from "node:path";
import { buildApp } from "./app";
import { ConfigError, loadConfig } from "./config";
import { openDatabase } from "./db/client";
import { demoPassword, isEmpty, seedDemo } from "./db/seed";
import { createLogger } from "./lib/logger";
import { ensureWebBuild } from "./web-build";

async function main() {
  const started = performance.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") });
  await database.migrate();
  if (config.seedDemo && (await isEmpty(database.db))) {
    const signIns = await seedDemo(database.db);
    process.stdout.write(
      `\nDemo data is in. Sign in at ${config.publicUrl}/login with password "${demoPassword}":\n${signIns
        .map(
          (s) =>
            `  ${s.role.padEnd(12)} ${s.tenant ? `tenant ${s.tenant.padEnd(7)}` : "no tenant     "} ${s.email}`,
        )
        .join("\n")}\n\n`,
    );
  }
  if (config.buildWeb) await ensureWebBuild(logger);
  const app = await buildApp({ config, database, logger });
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { url: config.publicUrl, database: database.kind, ms: Math.round(performance.now() - started) },
    "Switchboard is serving",
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(`Switchboard could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
