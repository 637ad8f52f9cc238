import { buildApp } from "../../src/server/app";
import { demoPassword } from "../../src/server/db/seed";
import type { App } from "../../src/server/lib/http";
import { createLogger } from "../../src/server/lib/logger";
import { type ApiResponse, openTestDatabase, testConfig } from "./app";

export interface TestServer {
  url: string;
  app: App;
  /** Signs in and returns a bearer token. */
  login(email: string, tenant?: string | null, password?: string): Promise<string>;
  /** Calls the API over real HTTP (paths relative to /api/v1). */
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** A real listening server on loopback, on a fresh seeded database, serving the built web app and the API. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const { database, drop } = await openTestDatabase(true);
  const provisional = testConfig(env);
  const app = await buildApp({ config: provisional, database, logger: createLogger(provisional) });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  // The same-origin check compares against PUBLIC_URL, which is only known once the port is.
  app.deps.config.publicUrl = url;
  const api: TestServer["api"] = async (method, path, options = {}) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : null,
      headers: Object.fromEntries(res.headers),
    };
  };
  return {
    url,
    app,
    api,
    async login(email, tenant = "acme", password = demoPassword) {
      const res = await api("POST", "/auth/login", {
        body: tenant ? { tenant, email, password } : { email, password },
      });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status}`);
      return res.body.token as string;
    },
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  };
}
