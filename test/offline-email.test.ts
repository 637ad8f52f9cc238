import { createServer } from "node:net";
import { eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildApp } from "../src/server/app";
import { openDatabase } from "../src/server/db/client";
import { outbox } from "../src/server/db/schema";
import { demoPassword } from "../src/server/db/seed";
import type { App } from "../src/server/lib/http";
import { createLogger } from "../src/server/lib/logger";
import { containsCardNumber } from "../src/server/modules/masking/mask";
import { backoffSeconds } from "../src/server/modules/notifications/outbox-delivery";
import { testConfig } from "./helpers/app";
import { mailCatcher } from "./helpers/mail-catcher";
import { startTestServer, type TestServer } from "./helpers/server";
import { connectSocket, settle } from "./helpers/socket";
import { cloneDatabase, databaseUrl, dropDatabase, postgresUrl } from "./helpers/templates";

async function until<T>(probe: () => Promise<T> | T, what: string, ms = 15_000): Promise<NonNullable<T>> {
  for (const end = Date.now() + ms; Date.now() < end; await settle(50)) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

const byId = (app: App, id: string) => app.deps.database.db.select().from(outbox).where(eq(outbox.id, id));

const rowsOf = (app: App, conversationId: string) =>
  app.deps.database.db
    .select()
    .from(outbox)
    .where(sql`${outbox.metadata} ->> 'conversationId' = ${conversationId}`);

/** John opens a chat and Sarah picks it up; returns the tokens and the chat's id. */
async function openChat(srv: Pick<TestServer, "api" | "login">, subject: string) {
  const [john, sarah] = await Promise.all([srv.login("john@acme.test"), srv.login("sarah@acme.test")]);
  const created = await srv.api("POST", "/conversations", {
    token: john,
    body: { subject, message: "Hello?" },
  });
  expect(created.status).toBe(201);
  const me = await srv.api("GET", "/me", { token: sarah });
  const picked = await srv.api("POST", `/conversations/${created.body.id}/assign`, {
    token: sarah,
    body: { assigneeId: me.body.user.id },
  });
  expect(picked.status).toBe(200);
  const id: string = created.body.id;
  let n = 0;
  const say = async (token: string, body: string, internal = false) => {
    const res = await srv.api("POST", `/conversations/${id}/messages`, {
      token,
      body: { body, clientId: `${subject}-${n++}`, internal },
    });
    expect(res.status).toBe(201);
    return res.body.seq as number;
  };
  return { id, john, sarah, say };
}

describe("offline participants get one email per burst, through the outbox", () => {
  let smtp: Awaited<ReturnType<typeof mailCatcher>>;
  let srv: TestServer;
  const mailsFor = (to: string, conversationId: string) =>
    smtp.mails.filter((m) => m.to.includes(to) && m.text.includes(conversationId));

  beforeAll(async () => {
    smtp = await mailCatcher();
    srv = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_BATCH_SECONDS: "1" });
  });
  afterAll(async () => {
    await srv?.close();
    await smtp?.close();
  });

  it("a customer with a connected socket gets no email", async () => {
    const chat = await openChat(srv, "Online");
    const socket = await connectSocket(srv.url, { token: chat.john });
    try {
      await chat.say(chat.sarah, "You are online, so no mail");
      await settle(2500);
      expect(mailsFor("john@acme.test", chat.id)).toHaveLength(0);
      expect(await rowsOf(srv.app, chat.id)).toHaveLength(0);
    } finally {
      socket.close();
    }
  });

  it("an internal note never reaches the customer's email", async () => {
    const chat = await openChat(srv, "Note");
    await chat.say(chat.sarah, "Customer looks like fraud, check ID", true);
    await chat.say(chat.sarah, "We are looking into it.");
    const mail = await until(() => mailsFor("john@acme.test", chat.id)[0], "the email");
    expect(mail.text).toContain("We are looking into it.");
    expect(mail.text).not.toContain("fraud");
    expect(mail.subject).toContain("1 new message from");
  });

  it("reading everything before the batch window ends drops the pending email", async () => {
    const chat = await openChat(srv, "Read");
    const seq = await chat.say(chat.sarah, "Please confirm your address");
    await until(async () => (await rowsOf(srv.app, chat.id)).length, "the queued email");
    const read = await srv.api("POST", `/conversations/${chat.id}/read`, { token: chat.john, body: { seq } });
    expect(read.status).toBe(200);
    await until(async () => !(await rowsOf(srv.app, chat.id)).length, "the email to be dropped");
    await settle(1500);
    expect(mailsFor("john@acme.test", chat.id)).toHaveLength(0);
  });

  it("a card number typed by the customer arrives masked in the agent's email, with the console link", async () => {
    const chat = await openChat(srv, "Card");
    await chat.say(chat.john, "My card 4111 1111 1111 1111 was charged twice");
    const mail = await until(() => mailsFor("sarah@acme.test", chat.id)[0], "the email");
    expect(mail.text).toContain("was charged twice");
    expect(mail.text).toContain(`${srv.url}/console/conversations/${chat.id}`);
    expect(containsCardNumber(mail.text)).toBe(false);
    expect(mail.text.replace(/\D/g, "")).not.toContain("4111111111111111");
  });

  it("a burst of five messages to an offline customer is one email listing them, with the portal link", async () => {
    const chat = await openChat(srv, "Burst");
    // Sent at once, so the after-commit work of all five overlaps; it must still come to one email.
    await Promise.all([1, 2, 3, 4, 5].map((i) => chat.say(chat.sarah, `Step ${i} of the fix`)));
    const mail = await until(() => mailsFor("john@acme.test", chat.id)[0], "the email");
    expect(mail.subject).toContain("5 new messages from Sarah Johnson");
    for (let i = 1; i <= 5; i++) expect(mail.text).toContain(`Step ${i} of the fix`);
    expect(mail.text).toContain(`${srv.url}/portal/chats/${chat.id}`);
    expect(mail.text).not.toContain("joined the chat");
    await settle(2500);
    expect(mailsFor("john@acme.test", chat.id)).toHaveLength(1);
    const [row] = await rowsOf(srv.app, chat.id);
    expect(row).toMatchObject({ recipient: "john@acme.test", attempts: 0 });
    expect(row!.sentAt).toBeInstanceOf(Date);
  });
});

describe("when SMTP is down", () => {
  it("retries wait 2, 4, 8 … seconds, at most an hour", () => {
    expect([1, 2, 3, 8, 12, 20].map(backoffSeconds)).toEqual([2, 4, 8, 256, 3600, 3600]);
  });

  it("the email stays in the outbox, is retried with backoff, and goes out once SMTP is back", async () => {
    const port = await freePort();
    const srv = await startTestServer({
      SMTP_URL: `smtp://mailer:hunter2-secret@127.0.0.1:${port}`,
      MAIL_BATCH_SECONDS: "1",
    });
    let smtp: Awaited<ReturnType<typeof mailCatcher>> | undefined;
    try {
      const chat = await openChat(srv, "Down");
      await chat.say(chat.sarah, "Your refund is on its way");
      const failing = await until(
        async () => (await rowsOf(srv.app, chat.id)).find((r) => r.attempts >= 2),
        "two failed attempts",
      );
      expect(failing.sentAt).toBeNull();
      expect(failing.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(failing.lastError).not.toContain("hunter2");
      // A row on its last attempt is given up and kept, marked failed; it is not sent once SMTP is back.
      const [lastTry] = await srv.app.deps.database.db
        .insert(outbox)
        .values({ kind: "test.bulk", recipient: "x@acme.test", subject: "Last try", body: "-", attempts: 7 })
        .returning();
      const failed = await until(
        async () => (await byId(srv.app, lastTry!.id)).find((r) => r.metadata.failedAt),
        "the last attempt",
      );
      expect(failed).toMatchObject({ attempts: 8, sentAt: null });
      smtp = await mailCatcher(port);
      const mail = await until(() => smtp?.mails[0], "the retried email", 20_000);
      expect(mail.text).toContain("Your refund is on its way");
      // The mail server answers before the worker records the send.
      const sent = await until(async () => (await rowsOf(srv.app, chat.id)).find((r) => r.sentAt), "sentAt");
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      expect(sent.lastError).not.toContain("hunter2");
      expect(smtp.mails.map((m) => m.subject)).toEqual([mail.subject]);
      expect((await byId(srv.app, lastTry!.id))[0]!.sentAt).toBeNull();
    } finally {
      await srv.close();
      await smtp?.close();
    }
  }, 45_000);
});

/** The API of an app without a listening socket, in the shape openChat takes. */
function injected(app: App): Pick<TestServer, "api" | "login"> {
  const api: TestServer["api"] = async (method, path, options = {}) => {
    const res = await app.inject({
      method: method as "GET",
      url: `/api/v1${path}`,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
  };
  return {
    api,
    async login(email, tenant = "acme", password = demoPassword) {
      return (await api("POST", "/auth/login", { body: { tenant, email, password } })).body.token as string;
    },
  };
}

describe("several server processes", () => {
  it.skipIf(!postgresUrl)(
    "two app instances on one PostgreSQL database send each email once (skipped on the embedded database: one process owns it, so there is no second instance)",
    async () => {
      const smtp = await mailCatcher();
      const name = await cloneDatabase(inject("templates").seeded);
      const env = { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_BATCH_SECONDS: "1" };
      const apps: App[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          const config = testConfig(env);
          const database = await openDatabase({ url: databaseUrl(name), poolSize: 5 });
          const app = await buildApp({ config, database, logger: createLogger(config) });
          await app.ready();
          apps.push(app);
        }
        const [a, b] = [injected(apps[0]!), injected(apps[1]!)];
        const chat = await openChat(a, "Twice");
        await chat.say(chat.sarah, "Sent through the first instance");
        // Many due rows at once, so both workers' claims overlap in time.
        await apps[0]!.deps.database.db.insert(outbox).values(
          Array.from({ length: 30 }, (_, i) => ({
            kind: "test.bulk",
            recipient: `bulk${i}@acme.test`,
            subject: `Bulk ${i}`,
            body: `Bulk message ${i}`,
          })),
        );
        const other = await openChat(b, "Twice-b");
        await other.say(other.sarah, "Sent through the second instance");
        await until(() => smtp.mails.length >= 32, "all emails", 20_000);
        await settle(2000);
        const subjects = smtp.mails.map((m) => m.subject);
        expect(new Set(subjects).size).toBe(32);
        expect(subjects).toHaveLength(32);
        const unsent = await apps[1]!.deps.database.db.select().from(outbox).where(isNull(outbox.sentAt));
        expect(unsent).toHaveLength(0);
      } finally {
        for (const app of apps) {
          await app.close();
          await app.deps.database.close();
        }
        await dropDatabase(name);
        await smtp.close();
      }
    },
    45_000,
  );
});
