import nodemailer from "nodemailer";

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** What the outbox worker needs from SMTP; one method, so the worker does not depend on nodemailer's types. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * A transport for SMTP_URL. The timeouts are far below nodemailer's defaults (minutes) because a claimed email
 * is leased, not locked: a send that outlived the lease could be claimed and sent again by another process.
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transporter.sendMail(mail);
    },
    close: () => transporter.close(),
  };
}

/**
 * One line about a failure, safe to store and log: credentials in URLs are blanked, and for database errors only
 * the driver's cause is kept, because the wrapper's message repeats the query's parameters (email bodies).
 */
export function describeError(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text
    .replace(/\/\/[^/\s@]*@/g, "//***@")
    .replace(/\s+/g, " ")
    .slice(0, 500);
}
