import { randomBytes } from "node:crypto";
import { and, count, eq, gt, isNull, lt, min, notExists, sql } from "drizzle-orm";
import { outbox, signInLinks, users } from "../../db/schema";
import { sha256 } from "../../lib/crypto";
import { HttpError } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";

/** How long an emailed link works. */
export const signInLinkMinutes = 15;
/** Links a person may hold at once; asking for another is refused until the oldest expires. */
export const maxLiveSignInLinks = 3;
export const signInMailKind = "widget.sign_in_link";

/** 32 random bytes, base64url: exactly this shape, so anything else is refused before a lookup. */
export const signInTokenPattern = /^[A-Za-z0-9_-]{43}$/;
/** Where the token sits in a mailed link; the same pattern finds it again to blank it once it is spent. */
const tokenInLink = "signin=[A-Za-z0-9_-]{43}";

type UserRow = typeof users.$inferSelect;

export interface LinkTarget {
  tenant: { id: string; slug: string; name: string };
  publicUrl: string;
}

/**
 * The address the visitor follows. The token travels in the fragment, which browsers never send to a server: it
 * reaches no request log, proxy log or Referer header, and the widget page removes it as soon as it has read it.
 */
export function signInUrl(publicUrl: string, tenantSlug: string, token: string): string {
  return `${publicUrl}/widget?${new URLSearchParams({ tenant: tenantSlug })}#signin=${token}`;
}

/** Plain text only, like every email we send: no markup a name could bend into a forged link. */
export function composeSignInMail(c: { name: string; tenantName: string; link: string }) {
  const tenantName = oneLine(c.tenantName);
  const lines = [
    `Hello ${oneLine(c.name)},`,
    "",
    `Someone, hopefully you, asked to continue a chat with ${tenantName} using this email address.`,
    "Open this link to sign in and pick up your conversations where you left them:",
    "",
    c.link,
    "",
    `The link works once and expires in ${signInLinkMinutes} minutes.`,
    "If you did not ask for it, ignore this email: nobody can sign in as you without the link.",
    "",
    "-- ",
    `You get this email because this address was entered in ${tenantName}'s chat.`,
  ];
  return { subject: `Your sign-in link for ${tenantName}`.slice(0, 200), body: lines.join("\n") };
}

/**
 * Issues a one-time link for a customer who gave their email in the widget, and queues the email that carries it.
 * Only the token's sha256 is stored; the token is written into the queued email alone, and blanked there when the
 * link is used (a dead link's, the next time this person's links change). Runs in the customer's tenant; the
 * caller has already decided the person may get one.
 */
export async function sendSignInLink(scope: Scope, user: UserRow, target: LinkTarget): Promise<void> {
  // One issuer per person at a time, so two requests at once cannot both find room for a link.
  await scope.tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
  const live = and(
    eq(signInLinks.userId, user.id),
    isNull(signInLinks.usedAt),
    gt(signInLinks.expiresAt, sql`now()`),
  );
  const [held] = await scope.tx
    .select({
      n: count(),
      secondsLeft: sql<number>`ceil(extract(epoch from ${min(signInLinks.expiresAt)} - now()))::int`,
    })
    .from(signInLinks)
    .where(live);
  if ((held?.n ?? 0) >= maxLiveSignInLinks) {
    const wait = Math.max(1, held?.secondsLeft ?? 60);
    throw new HttpError(
      429,
      "rate_limited",
      `We have already emailed you ${maxLiveSignInLinks} sign-in links. Use one of them, or ask for another in ${Math.ceil(wait / 60)} minutes.`,
      undefined,
      { "retry-after": String(wait) },
    );
  }

  const token = randomBytes(32).toString("base64url");
  const [link] = await scope.tx
    .insert(signInLinks)
    .values({
      tenantId: target.tenant.id,
      userId: user.id,
      tokenHash: sha256(token),
      expiresAt: sql`now() + ${signInLinkMinutes}::int * interval '1 minute'`,
    })
    .returning({ id: signInLinks.id, expiresAt: signInLinks.expiresAt });
  const mail = composeSignInMail({
    name: user.name,
    tenantName: target.tenant.name,
    link: signInUrl(target.publicUrl, target.tenant.slug, token),
  });
  await scope.tx.insert(outbox).values({
    tenantId: target.tenant.id,
    kind: signInMailKind,
    recipient: user.email,
    subject: mail.subject,
    body: mail.body,
    metadata: { userId: user.id, linkId: link!.id },
  });
  await forgetSpentLinks(scope, user.id);
  await recordActivity(scope, {
    action: "widget.sign_in_link_sent",
    subjectType: "user",
    subjectId: user.id,
    metadata: { via: "widget", linkId: link!.id, expiresAt: link!.expiresAt.toISOString() },
  });
}

/** One answer for every token that does not sign anyone in: unknown, used, expired or another tenant's. */
export const invalidSignInLink = () =>
  new HttpError(
    401,
    "unauthenticated",
    "This sign-in link is not valid: it may have expired or been used already. Ask for a new one.",
  );

/**
 * Spends a link: marks it used and returns its customer, or throws invalidSignInLink. The update itself checks
 * that the link is unused and unexpired, so of two requests racing with one link only one gets a row back. A
 * throw rolls the whole transaction back, so a refused link changes nothing.
 */
export async function redeemSignInLink(scope: Scope, token: string): Promise<UserRow> {
  const [link] = await scope.tx
    .update(signInLinks)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(signInLinks.tokenHash, sha256(token)),
        isNull(signInLinks.usedAt),
        gt(signInLinks.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: signInLinks.id, userId: signInLinks.userId });
  if (!link) throw invalidSignInLink();
  const [user] = await scope.tx.select().from(users).where(eq(users.id, link.userId));
  // Someone deactivated, or made staff, since the link was sent: staff never sign in through the widget.
  if (user?.status !== "active" || user.role !== "customer") throw invalidSignInLink();
  await forgetSpentLinks(scope, user.id);
  scope.actor = { ...scope.actor, type: "user", id: user.id, name: user.name, role: "customer" };
  await recordActivity(scope, {
    action: "widget.signed_in_by_link",
    subjectType: "user",
    subjectId: user.id,
    metadata: { via: "widget", linkId: link.id },
  });
  return user;
}

/**
 * The emails of links that can no longer sign anyone in keep no token: it is blanked in the stored copy (the
 * email itself has gone out). Rows of links long dead are removed. Both for one person, as their links change.
 */
async function forgetSpentLinks(scope: Scope, userId: string): Promise<void> {
  const stillLive = scope.tx
    .select({ id: signInLinks.id })
    .from(signInLinks)
    .where(
      and(
        sql`${signInLinks.id}::text = ${outbox.metadata} ->> 'linkId'`,
        isNull(signInLinks.usedAt),
        gt(signInLinks.expiresAt, sql`now()`),
      ),
    );
  await scope.tx
    .update(outbox)
    .set({ body: sql`regexp_replace(${outbox.body}, ${tokenInLink}, 'signin=(spent)', 'g')` })
    .where(
      and(
        eq(outbox.kind, signInMailKind),
        sql`${outbox.metadata} ->> 'userId' = ${userId}`,
        sql`${outbox.body} ~ ${tokenInLink}`,
        notExists(stillLive),
      ),
    );
  await scope.tx
    .delete(signInLinks)
    .where(and(eq(signInLinks.userId, userId), lt(signInLinks.expiresAt, sql`now() - interval '1 day'`)));
}

/** Header-safe: a line break in a name must not start a new header or paragraph. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}
