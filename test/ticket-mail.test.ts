import { createServer } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../src/server/db/schema";
import { containsCardNumber } from "../src/server/modules/masking/mask";
import { sweepTicketBreaches } from "../src/server/modules/tickets/ticket-breaches";
import { type CaughtMail, type MailCatcher, mailCatcher } from "./helpers/mail-catcher";
import { startTestServer, type TestServer } from "./helpers/server";
import { settle } from "./helpers/socket";

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

interface Ticket {
  id: string;
  reference: string;
  subject: string;
  conversationId: string;
}

describe("ticket emails, through the outbox and real SMTP", () => {
  let smtp: MailCatcher;
  let srv: TestServer;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let n = 0;

  const call = async (who: string, method: string, path: string, body?: unknown) =>
    srv.api(method, path, { token: tok[who], body });
  const ok = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await call(who, method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const open = (who: string, extra: Record<string, unknown> = {}): Promise<Ticket> =>
    ok(who, "POST", "/tickets", {
      subject: `Mail case ${++n}`,
      description: "My statement shows a payment I do not recognise.",
      category: "billing",
      ...extra,
    });
  const say = (who: string, t: Ticket, body: string, internal = false) =>
    ok(who, "POST", `/conversations/${t.conversationId}/messages`, {
      body,
      internal,
      clientId: `m-${++n}`,
    });
  /** Emails to `to` whose subject names `about` (a ticket reference or a chat number). */
  const mailsTo = (to: string, about: string): CaughtMail[] =>
    smtp.mails.filter((m) => m.to.includes(to) && m.subject.includes(about));
  const arrives = (to: string, about: string, match: (m: CaughtMail) => boolean = () => true) =>
    until(() => mailsTo(to, about).find(match), `an email to ${to} about ${about}`);

  beforeAll(async () => {
    smtp = await mailCatcher();
    srv = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_BATCH_SECONDS: "1" });
    for (const who of ["admin", "supervisor", "lead", "sarah", "mike", "john", "jane", "bob"]) {
      tok[who] = await srv.login(`${who}@acme.test`);
      ids[who] = (await call(who, "GET", "/me")).body.user.id;
    }
  });
  afterAll(async () => {
    await srv?.close();
    await smtp?.close();
  });

  it("a new ticket: the customer's confirmation with its reference, and the team leads and supervisors", async () => {
    const t = await open("john", {
      subject: "Refund\nBcc: someone@evil.test",
      description: "Card 4111 1111 1111 1111 was charged twice, please refund.",
    });
    const mail = await arrives("john@acme.test", t.reference);
    expect(mail.to).toEqual(["john@acme.test"]);
    expect(mail.subject).toBe(`[${t.reference}] We received your request: Refund Bcc: someone@evil.test`);
    expect(mail.text).toContain(`Quote ${t.reference}`);
    expect(mail.text).toContain(`${srv.url}/portal/tickets/${t.id}`);
    expect(mail.text).toContain("was charged twice");
    expect(containsCardNumber(mail.text)).toBe(false);
    for (const to of ["lead@acme.test", "supervisor@acme.test"]) {
      const staff = await arrives(to, t.reference);
      expect(staff.subject).toBe(`[${t.reference}] New ticket: Refund Bcc: someone@evil.test`);
      expect(staff.text).toContain(`${srv.url}/console/tickets/${t.id}`);
      expect(staff.text).toContain("John Doe opened ticket");
      expect(containsCardNumber(staff.text)).toBe(false);
    }
    await settle(1500);
    for (const to of ["admin@acme.test", "sarah@acme.test", "mike@acme.test", "jane@acme.test"])
      expect(mailsTo(to, t.reference)).toHaveLength(0);
    expect(smtp.mails.some((m) => m.to.includes("someone@evil.test"))).toBe(false);
  });

  it("a chat converted into a ticket goes to the chat's agent alone; nobody is told of the ticket they opened themselves", async () => {
    const chat = await ok("bob", "POST", "/conversations", { subject: "Card stuck", message: "Help" });
    await ok("sarah", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.sarah });
    const t: Ticket = await ok("bob", "POST", "/tickets", {
      conversationId: chat.id,
      subject: "Card stuck in the machine",
      description: "The machine kept my card this morning.",
      category: "technical",
    });
    const assigned = await arrives("sarah@acme.test", t.reference);
    expect(assigned.subject).toBe(`[${t.reference}] New ticket assigned to you: Card stuck in the machine`);
    await arrives("bob@acme.test", t.reference, (m) => m.subject.includes("We received your request"));

    const pin = await ok("jane", "POST", "/conversations", { subject: "Pin", message: "Hi" });
    await ok("mike", "POST", `/conversations/${pin.id}/assign`, { assigneeId: ids.mike });
    const mine: Ticket = await ok("mike", "POST", "/tickets", {
      conversationId: pin.id,
      subject: "PIN reset by phone",
      description: "Jane asks for a PIN reset by phone.",
      category: "account",
    });
    await arrives("jane@acme.test", mine.reference);
    await settle(1500);
    expect(mailsTo("lead@acme.test", t.reference)).toHaveLength(0);
    expect(mailsTo("mike@acme.test", mine.reference)).toHaveLength(0);
    expect(mailsTo("lead@acme.test", mine.reference)).toHaveLength(0);
  });

  it("staff's public replies reach the customer, a burst as one email; internal notes never do", async () => {
    const t = await open("john");
    await say("sarah", t, "Customer looks like fraud, check ID first", true);
    await Promise.all([
      say("sarah", t, "We are looking at the payment now."),
      say("sarah", t, "Your card 4111 1111 1111 1111 is blocked meanwhile."),
    ]);
    const mail = await arrives("john@acme.test", t.reference, (m) => m.subject.includes("new replies"));
    expect(mail.subject).toBe(`[${t.reference}] 2 new replies: ${t.subject}`);
    expect(mail.text).toContain("We are looking at the payment now.");
    expect(mail.text).toContain("is blocked meanwhile");
    expect(mail.text).toContain(`${srv.url}/portal/tickets/${t.id}`);
    expect(mail.text).not.toContain("fraud");
    expect(containsCardNumber(mail.text)).toBe(false);

    const quiet = await open("john");
    await say("sarah", quiet, "Internal only: waiting for the fraud team", true);
    await say("john", quiet, "Any news?");
    await settle(2500);
    const toJohn = smtp.mails.filter((m) => m.to.includes("john@acme.test"));
    expect(mailsTo("john@acme.test", quiet.reference).map((m) => m.subject)).toEqual([
      `[${quiet.reference}] We received your request: ${quiet.subject}`,
    ]);
    expect(toJohn.filter((m) => m.text.includes("fraud"))).toHaveLength(0);
    // The thread's offline mail does not tell the same replies a second time.
    expect(mailsTo("john@acme.test", t.reference).filter((m) => m.subject.includes("repl"))).toHaveLength(1);
    expect(toJohn.filter((m) => m.text.includes(t.conversationId))).toHaveLength(0);
  });

  it("status changes reach the customer, several within the batch window as one; their own are not mailed back", async () => {
    const t = await open("john");
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { status: "in_progress" });
    const first = await arrives("john@acme.test", t.reference, (m) => m.subject.includes("Your request is"));
    expect(first.subject).toBe(`[${t.reference}] Your request is in progress: ${t.subject}`);
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { status: "waiting_on_customer" });
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { status: "waiting_on_admin" });
    await arrives("john@acme.test", t.reference, (m) => m.subject.includes("waiting on a colleague"));
    await ok("john", "PATCH", `/tickets/${t.id}`, { status: "closed" });
    const rating = await arrives("john@acme.test", t.reference, (m) => m.subject.includes("How did we do?"));
    expect(rating.text).toContain(`Rate it: ${srv.url}/portal/tickets/${t.id}`);
    await settle(1500);
    expect(mailsTo("john@acme.test", t.reference).map((m) => m.subject.replace(/^\[\S+\] /, ""))).toEqual([
      `We received your request: ${t.subject}`,
      `Your request is in progress: ${t.subject}`,
      `Your request is waiting on a colleague: ${t.subject}`,
      `How did we do?: ${t.subject}`,
    ]);
  });

  it("resolving asks for a rating once; a ticket rated before the email is due is not asked; the setting turns it off", async () => {
    const t = await open("jane");
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { status: "resolved" });
    await arrives("jane@acme.test", t.reference, (m) => m.subject.includes("Your request is resolved"));
    const rating = await arrives("jane@acme.test", t.reference, (m) => m.subject.includes("How did we do?"));
    expect(rating.text).toContain(`${srv.url}/portal/tickets/${t.id}`);
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { status: "closed" });

    const rated = await open("jane");
    await ok("sarah", "PATCH", `/tickets/${rated.id}`, { status: "resolved" });
    await ok("jane", "POST", `/tickets/${rated.id}/rating`, { score: 5 });

    await ok("admin", "PATCH", "/settings", { ratingEmails: false });
    const off = await open("jane");
    await ok("sarah", "PATCH", `/tickets/${off.id}`, { status: "resolved" });
    await arrives("jane@acme.test", off.reference, (m) => m.subject.includes("Your request is resolved"));
    await ok("admin", "PATCH", "/settings", { ratingEmails: true });
    await settle(2500);
    const ratings = (ref: string) =>
      mailsTo("jane@acme.test", ref).filter((m) => m.subject.includes("How did we do?"));
    expect(ratings(t.reference)).toHaveLength(1);
    expect(ratings(rated.reference)).toHaveLength(0);
    expect(ratings(off.reference)).toHaveLength(0);
  });

  it("a support chat resolved or closed asks its customer for a rating, linking to the chat in the portal", async () => {
    const chat = await ok("jane", "POST", "/conversations", { subject: "Lost card", message: "Hello" });
    await ok("sarah", "POST", `/conversations/${chat.id}/assign`, { assigneeId: ids.sarah });
    await ok("sarah", "POST", `/conversations/${chat.id}/resolve`);
    const about = `Rate chat #${chat.number}`;
    const mail = await arrives("jane@acme.test", about);
    expect(mail.subject).toBe(`How did we do? ${about}`);
    expect(mail.text).toContain(`Rate it: ${srv.url}/portal/chats/${chat.id}`);
    await ok("sarah", "POST", `/conversations/${chat.id}/close`);
    await settle(2000);
    expect(mailsTo("jane@acme.test", about)).toHaveLength(1);
  });

  it("escalations reach the team lead, whether a person escalates or a target is missed", async () => {
    const t = await open("bob");
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { assigneeId: ids.sarah });
    await ok("sarah", "PATCH", `/tickets/${t.id}`, { status: "escalated" });
    const mail = await arrives("lead@acme.test", t.reference, (m) => m.subject.includes("escalated"));
    expect(mail.subject).toBe(`[${t.reference}] Ticket escalated: ${t.subject}`);
    expect(mail.text).toContain(`Sarah Johnson escalated ticket ${t.reference}`);

    const late = await open("bob");
    await ok("mike", "PATCH", `/tickets/${late.id}`, { assigneeId: ids.mike });
    await srv.app.deps.database.db.execute(
      sql`update tickets set first_response_due_at = now() - interval '1 minute' where id = ${late.id}`,
    );
    await sweepTicketBreaches(srv.app.deps);
    const breach = await arrives("lead@acme.test", late.reference, (m) => m.subject.includes("Missed"));
    expect(breach.subject).toBe(`[${late.reference}] Missed first-response target: ${late.subject}`);
    expect(breach.text).toContain(`${srv.url}/console/tickets/${late.id}`);
    await arrives("bob@acme.test", late.reference, (m) => m.subject.includes("Your request is escalated"));
    await settle(1000);
    expect(
      mailsTo("supervisor@acme.test", t.reference).filter((m) => m.subject.includes("scalated")),
    ).toHaveLength(0);
  });
});

describe("ticket emails when SMTP is down", () => {
  it("the confirmation stays in the outbox, is retried, and goes out once SMTP is back", async () => {
    const port = await freePort();
    const srv = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_BATCH_SECONDS: "1" });
    let smtp: MailCatcher | undefined;
    try {
      const john = await srv.login("john@acme.test");
      const created = await srv.api("POST", "/tickets", {
        token: john,
        body: {
          subject: "While mail is down",
          description: "Please confirm this arrives.",
          category: "general",
        },
      });
      expect(created.status).toBe(201);
      const rows = () =>
        srv.app.deps.database.db
          .select()
          .from(outbox)
          .where(
            and(
              eq(outbox.kind, "ticket.confirmation"),
              sql`${outbox.metadata} ->> 'ticketId' = ${created.body.id}`,
            ),
          );
      const failing = await until(
        async () => (await rows()).find((r) => r.attempts >= 1),
        "a failed attempt",
      );
      expect(failing.sentAt).toBeNull();
      expect(failing.lastError).toMatch(/ECONNREFUSED|connect/i);
      smtp = await mailCatcher(port);
      // The staff's new-ticket email names the reference too, and may come first: the customer's is looked for.
      const mail = await until(
        () =>
          smtp?.mails.find(
            (m) => m.subject.includes(created.body.reference) && m.to.includes("john@acme.test"),
          ),
        "the retried email",
        20_000,
      );
      expect(mail.to).toEqual(["john@acme.test"]);
      const sent = await until(async () => (await rows()).find((r) => r.sentAt), "sentAt");
      expect(sent.attempts).toBeGreaterThanOrEqual(1);
      expect(smtp.mails.filter((m) => m.to.includes("john@acme.test"))).toHaveLength(1);
    } finally {
      await srv.close();
      await smtp?.close();
    }
  }, 45_000);
});
