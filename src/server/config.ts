import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
  );

/** Every environment variable Switchboard reads, with its default. The README's table is generated from this. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("HTTP port"),
  HOST: z.string().min(1).default("0.0.0.0").describe("address to listen on"),
  PUBLIC_URL: url(["http:", "https:"])
    .optional()
    .describe("the address people use; https makes cookies Secure (default http://localhost:PORT)"),
  DATA_DIR: z.string().min(1).default("./data").describe("embedded database, uploads and generated secrets"),
  DATABASE_URL: url(["postgres:", "postgresql:"])
    .optional()
    .describe("PostgreSQL connection; unset means the embedded database in DATA_DIR"),
  REDIS_URL: url(["redis:", "rediss:"]).optional().describe("Redis for several server processes"),
  SESSION_SECRET: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional()
    .describe("signs cookies and keys encryption; generated once into DATA_DIR when unset"),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7)
    .describe("how long a session lives without use"),
  SMTP_URL: url(["smtp:", "smtps:"]).optional().describe("outgoing mail; unset keeps mail in the outbox"),
  MAIL_FROM: z
    .string()
    .min(3)
    .default("Switchboard <no-reply@switchboard.local>")
    .describe("sender of emails"),
  MAIL_BATCH_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(60)
    .describe("an offline person's messages within this many seconds go out as one email"),
  ROUTING_SWEEP_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(5)
    .describe("how often ended breaks, overdue first responses and the queue are checked"),
  RETENTION_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10080)
    .default(60)
    .describe(
      "how often old tickets and chats are archived and deleted as each tenant's settings say; 0 turns it off",
    ),
  TURN_SECRET: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .describe("coturn static-auth-secret"),
  TURN_URLS: z
    .string()
    .optional()
    .describe("comma-separated turn:/stun: URLs handed to browsers")
    .refine(
      (v) => v === undefined || v.split(",").every((u) => /^(turns?|stuns?):[^\s]+$/.test(u.trim())),
      "must be comma-separated turn:, turns: or stun: URLs",
    ),
  TURN_RELAY_ONLY: z
    .enum(["true", "false"])
    .default("false")
    .describe(
      "true makes browsers send call audio through TURN only, never showing peers each other's addresses",
    ),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86400)
    .default(3600)
    .describe("how long a TURN credential from GET /calls/ice-servers stays valid"),
  LOG_LEVEL: z.enum(logLevels).default("info").describe("pino log level"),
  BUILD_WEB: z
    .enum(["auto", "never"])
    .default("auto")
    .describe("auto builds the web app at start when it is missing or stale"),
  SEED_DEMO: z
    .enum(["auto", "never"])
    .default("auto")
    .describe("auto seeds demo data into an empty database at start"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  secureCookies: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  sessionSecret: string;
  sessionTtlMs: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailBatchSeconds: number;
  routingSweepMs: number;
  /** 0: no scheduled retention (run `npm run retention` instead). */
  retentionIntervalMs: number;
  turnSecret: string | undefined;
  turnUrls: string[];
  turnCredentialTtlSeconds: number;
  turnRelayOnly: boolean;
  logLevel: (typeof logLevels)[number];
  seedDemo: boolean;
  buildWeb: boolean;
}

export class ConfigError extends Error {}

/** Reads the environment; a bad value throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith("https:"),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    sessionSecret: e.SESSION_SECRET ?? persistedSecret(dataDir),
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailBatchSeconds: e.MAIL_BATCH_SECONDS,
    routingSweepMs: e.ROUTING_SWEEP_SECONDS * 1000,
    retentionIntervalMs: e.RETENTION_INTERVAL_MINUTES * 60_000,
    turnSecret: e.TURN_SECRET,
    turnUrls: e.TURN_URLS ? e.TURN_URLS.split(",").map((u) => u.trim()) : [],
    turnCredentialTtlSeconds: e.TURN_CREDENTIAL_TTL_SECONDS,
    turnRelayOnly: e.TURN_RELAY_ONLY === "true",
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO === "auto",
    buildWeb: e.BUILD_WEB === "auto",
  };
}

/** The secret is generated once and kept beside the data, so restarts keep sessions and encrypted files valid. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, "session-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    // An empty or cut-short file (a crash while writing it) must not become a guessable secret.
    if (stored.length < 32)
      throw new ConfigError(`Invalid SESSION_SECRET: ${file} holds fewer than 32 characters`);
    return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
