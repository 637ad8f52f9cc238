import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";

const sources = ["src/web", "src/protocol", "vite.config.ts"];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** Builds the web app when dist/web is missing or older than its sources, so `npm start` always serves it. */
export async function ensureWebBuild(logger: Pick<Logger, "info">, outDir = "dist/web"): Promise<void> {
  const built = join(outDir, "index.html");
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return;
  if (!existsSync("src/web/index.html")) return;
  logger.info("building the web app");
  const { build } = await import("vite");
  await build({ configFile: "vite.config.ts", logLevel: "warn" });
}
