/**
 * The widget visitor's session: from a name and email, from a one-time link emailed to a returning customer, or
 * from the host site's signed identity.
 */
import { api, setApiToken } from "../lib/api";
import type { User } from "../lib/types";

export interface WidgetSession {
  token: string;
  userId: string;
  name: string;
  /** Set when the host site identified the visitor; a different signed-in user then starts afresh. */
  externalId?: string;
}

/** What the loader passes in the iframe's query string. */
export interface WidgetParams {
  tenant: string;
  identity: { externalId: string; name: string; email: string; timestamp: string; signature: string } | null;
}

export function readParams(search: URLSearchParams): WidgetParams {
  const get = (key: string) => search.get(key) ?? "";
  const externalId = get("userId");
  const identity =
    externalId && get("signature")
      ? {
          externalId,
          name: get("name"),
          email: get("email"),
          timestamp: get("timestamp"),
          signature: get("signature"),
        }
      : null;
  return { tenant: get("tenant"), identity };
}

/** One stored session per tenant, so one browser can chat with two sites using Switchboard. */
const storageKey = (tenant: string) => `switchboard.widget.${tenant}`;

export function loadSession(tenant: string): WidgetSession | null {
  try {
    const raw = localStorage.getItem(storageKey(tenant));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === "object" && "token" in parsed && "userId" in parsed)
      return parsed as WidgetSession;
  } catch {
    // Storage blocked (privacy settings) or corrupt: the visitor introduces themselves again.
  }
  return null;
}

export function saveSession(tenant: string, session: WidgetSession | null): void {
  setApiToken(session?.token ?? null);
  try {
    if (session) localStorage.setItem(storageKey(tenant), JSON.stringify(session));
    else localStorage.removeItem(storageKey(tenant));
  } catch {
    // Not persisted: the session lasts as long as this frame.
  }
}

interface SessionAnswer {
  user: User;
  token: string;
}

/** A known customer's address gets no session, only a sign-in link in its mailbox. */
interface VerificationAnswer {
  verification: "sent";
  email: string;
}

export type VisitorStart = { session: WidgetSession } | { checkEmail: string };

const sessionOf = (res: SessionAnswer): WidgetSession => ({
  token: res.token,
  userId: res.user.id,
  name: res.user.name,
});

export async function startVisitorSession(
  tenant: string,
  name: string,
  email: string,
): Promise<VisitorStart> {
  const res = await api.post<SessionAnswer | VerificationAnswer>("/widget/session", { tenant, name, email });
  return "verification" in res ? { checkEmail: res.email } : { session: sessionOf(res) };
}

let linkToken: string | null | undefined;

/**
 * The token of an emailed sign-in link (`#signin=…`), read once per page and taken out of the address at once, so
 * it stays in no history entry, bookmark or shared screenshot. The fragment never reaches the server's logs.
 */
export function takeSignInToken(): string | null {
  if (linkToken !== undefined) return linkToken;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  linkToken = fragment.get("signin");
  if (linkToken !== null) {
    fragment.delete("signin");
    const rest = fragment.toString();
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, "", `${pathname}${search}${rest ? `#${rest}` : ""}`);
  }
  return linkToken;
}

const exchanges = new Map<string, Promise<WidgetSession>>();

/** A link works once: however often the page asks (a remount, a double effect), it is exchanged once. */
export function signInWithLink(tenant: string, token: string): Promise<WidgetSession> {
  let exchange = exchanges.get(token);
  if (!exchange) {
    exchange = api.post<SessionAnswer>("/widget/sign-in", { tenant, token }).then(sessionOf);
    exchanges.set(token, exchange);
  }
  return exchange;
}

export async function identifyVisitor(params: WidgetParams): Promise<WidgetSession> {
  const id = params.identity!;
  // data-* attributes are strings; the host signs a Unix time, so it travels as a number when it is one.
  const timestamp = /^\d+$/.test(id.timestamp) ? Number(id.timestamp) : id.timestamp;
  const res = await api.post<SessionAnswer>("/widget/identify", { tenant: params.tenant, ...id, timestamp });
  return { token: res.token, userId: res.user.id, name: res.user.name, externalId: id.externalId };
}

/**
 * Asks the host page (through the loader) to fold the chat away. Any target origin: the host is whatever site
 * embeds us, and the message carries nothing but the request.
 */
export function closeWidget(): void {
  if (window.parent !== window) window.parent.postMessage({ type: "switchboard:close" }, "*");
}
