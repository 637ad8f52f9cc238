import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/server/config";
import { openDatabase } from "../src/server/db/client";
import {
  type RetentionProgress,
  runRetention,
  type TenantSummary,
  UnknownTenantError,
} from "../src/server/modules/retention/run-retention";

/**
 * Archives and deletes old tickets and chats as each tenant's retention settings say, like the server's schedule
 * does: `npm run retention -- [--dry-run] [--tenant <slug>]`. Connects like the other scripts (DATABASE_URL, or
 * the embedded database in DATA_DIR, which only one process may open: stop the server first).
 */
const usage = "usage: npm run retention -- [--dry-run] [--tenant <slug>]";

let args: { "dry-run"?: boolean; tenant?: string; help?: boolean };
try {
  args = parseArgs({
    options: {
      "dry-run": { type: "boolean" },
      tenant: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}

const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") });
const tty = process.stdout.isTTY === true;
const dryRun = args["dry-run"] === true;

function bar(p: RetentionProgress): string {
  const width = 30;
  const share = p.total ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(share * width);
  const what = p.tenant ? `${p.tenant}: ${p.step}` : `${p.total} rows are due`;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${p.done}/${p.total} ${what}`;
}

function onProgress(p: RetentionProgress): void {
  if (tty) process.stdout.write(`\r\x1b[2K${bar(p)}`);
  else if (p.tenant === null) console.log(`${p.total} rows are due`);
  else console.log(`${p.tenant}: ${p.step} (${p.done}/${p.total})`);
}

const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

function table(rows: TenantSummary[]): string {
  const head = [
    "tenant",
    "tickets archived",
    "tickets deleted",
    "chats archived",
    "chats deleted",
    "calls deleted",
    "attachments",
    "bytes freed",
  ];
  const body = rows.map((r) => [
    r.tenant,
    String(r.archivedTickets),
    String(r.deletedTickets),
    String(r.archivedConversations),
    String(r.deletedConversations),
    String(r.deletedCalls),
    String(r.deletedAttachments),
    bytes(r.bytesFreed),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

let code = 0;
try {
  const result = await runRetention({
    database,
    dataDir: config.dataDir,
    tenant: args.tenant,
    dryRun,
    via: "cli",
    onProgress,
    onFileError: (err) => console.error(`a deleted attachment's file was not removed: ${String(err)}`),
  });
  if (tty) process.stdout.write("\n");
  if (result.skipped) {
    console.log(
      "Skipped: another retention run is in progress (on a server or another command). Nothing was done.",
    );
  } else {
    console.log(dryRun ? "Dry run: nothing was changed. A run would do this:" : "Retention done:");
    console.log(table(result.tenants));
  }
} catch (err) {
  if (tty) process.stdout.write("\n");
  console.error(err instanceof UnknownTenantError ? err.message : `Retention failed: ${String(err)}`);
  code = 1;
} finally {
  await database.close();
}
process.exit(code);
