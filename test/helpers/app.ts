import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { buildApp } from "../../src/server/app";
import { type Config, loadConfig } from "../../src/server/config";
import { type Database, openDatabase } from "../../src/server/db/client";
import { demoPassword } from "../../src/server/db/seed";
import type { App } from "../../src/server/lib/http";
import { createLogger } from "../../src/server/lib/logger";
import { cloneDatabase, databaseUrl, dropDatabase } from "./templates";

export interface TestApp {
  app: App;
  database: Database;
  config: Config;
  /** Signs in a demo (or any) person and returns their bearer token. */
  login(email: string, tenant?: string | null, password?: string): Promise<string>;
  /** Sends a request to the API (paths are relative to /api/v1) and parses the JSON answer. */
  api(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A fresh database copied from the run's template (seeded with the demo data unless told otherwise). */
export async function openTestDatabase(
  seeded = true,
): Promise<{ database: Database; drop(): Promise<void> }> {
  const templates = inject("templates");
  const template = seeded ? templates.seeded : templates.migrated;
  if (templates.kind === "postgres") {
    const name = await cloneDatabase(template);
    const database = await openDatabase({ url: databaseUrl(name), poolSize: 5 });
    return { database, drop: () => dropDatabase(name) };
  }
  const database = await openDatabase({ loadDataDir: new Blob([readFileSync(template)]) });
  return { database, drop: async () => {} };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), "switchboard-test-")),
    SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "silent",
    SEED_DEMO: "never",
    ...overrides,
  });
}

export async function createTestApp(
  options: { seeded?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const { database, drop } = await openTestDatabase(options.seeded ?? true);
  const app = await buildApp({ config, database, logger: createLogger(config) });
  await app.ready();

  const api: TestApp["api"] = async (method, path, opts = {}) => {
    const res = await app.inject({
      method: method as "GET",
      url: `/api/v1${path}`,
      headers: {
        ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      payload:
        opts.body === undefined
          ? undefined
          : typeof opts.body === "string"
            ? opts.body
            : JSON.stringify(opts.body),
    });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : null;
    } catch {
      // not JSON: leave the text
    }
    return { status: res.statusCode, body, headers: res.headers };
  };

  return {
    app,
    database,
    config,
    api,
    async login(email, tenant = "acme", password = demoPassword) {
      const res = await api("POST", "/auth/login", {
        body: tenant ? { tenant, email, password } : { email, password },
      });
      if (res.status !== 200)
        throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async close() {
      await app.close();
      await database.close();
      await drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
