import { buildApp } from "../../src/server/app";
import { createLogger } from "../../src/server/lib/logger";
import { openTestDatabase, testConfig } from "./app";

export interface TestServer {
  url: string;
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
  return {
    url,
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  };
}
