/** The few API calls the benchmark's setup needs, over loopback HTTP like any client. */

const prefix = "/api/v1";

export class Api {
  constructor(readonly url: string) {}

  async call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${prefix}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  login(email: string, password: string): Promise<{ token: string; user: { id: string } }> {
    return this.call("POST", "/auth/login", null, { tenant: "acme", email, password });
  }

  signup(email: string, name: string, password: string): Promise<{ token: string; user: { id: string } }> {
    return this.call("POST", "/auth/signup", null, { tenant: "acme", email, name, password });
  }

  createAgent(
    adminToken: string,
    email: string,
    name: string,
    password: string | undefined,
    maxChats = 50,
  ): Promise<{ id: string }> {
    return this.call("POST", "/staff", adminToken, { email, name, role: "agent", password, maxChats });
  }

  startSupportChat(agentToken: string, customerId: string): Promise<{ id: string }> {
    return this.call("POST", "/conversations", agentToken, {
      kind: "support",
      participantIds: [customerId],
      subject: "Benchmark chat",
    });
  }
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}
