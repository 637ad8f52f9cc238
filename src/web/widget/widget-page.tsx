import { type ReactNode, useCallback, useEffect, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { errorMessage, isApiError } from "../lib/api";
import { SocketProvider } from "../lib/socket";
import { Button } from "../ui";
import { WidgetChat } from "./widget-chat";
import {
  closeWidget,
  identifyVisitor,
  loadSession,
  readParams,
  saveSession,
  signInWithLink,
  takeSignInToken,
  type WidgetSession,
} from "./widget-session";
import { WidgetSignIn } from "./widget-sign-in";

/**
 * A stored session fits only the same kind of visitor: anonymous for anonymous, the same identified user for
 * the same one. So a host user who signs out (or another who signs in) on a shared computer does not inherit
 * someone else's chat. Runs before the first render so the token is set before any request.
 */
function initialSession(tenant: string, externalId: string | undefined): WidgetSession | null {
  const stored = loadSession(tenant);
  const fits = stored !== null && (stored.externalId ?? "") === (externalId ?? "");
  saveSession(tenant, fits ? stored : null);
  return fits ? stored : null;
}

/**
 * The page inside the host site's iframe (/widget?tenant=…), and the page an emailed sign-in link opens
 * (/widget?tenant=…#signin=…). It never uses the browser's cookie session: everything goes with the visitor's
 * own token, so a staff member testing their own site stays themselves.
 */
export function WidgetPage() {
  const [search] = useSearchParams();
  const [params] = useState(() => readParams(search));
  const [linkToken] = useState(takeSignInToken);
  const [session, setSession] = useState(() => initialSession(params.tenant, params.identity?.externalId));
  const [notice, setNotice] = useState<string | null>(null);
  // A link names who is signing in, so it goes before a stored session or the host site's identity.
  const [linking, setLinking] = useState(!!linkToken && !!params.tenant);
  const [identifying, setIdentifying] = useState(!linking && !session && !!params.identity);

  const accept = useCallback(
    (next: WidgetSession | null) => {
      saveSession(params.tenant, next);
      setSession(next);
    },
    [params.tenant],
  );
  const expired = useCallback(() => {
    accept(null);
    setNotice("Your chat session has ended. Introduce yourself again to continue.");
  }, [accept]);

  useEffect(() => {
    if (!linking || !linkToken) return;
    signInWithLink(params.tenant, linkToken)
      .then((s) => accept(s))
      .catch((err) =>
        setNotice(
          isApiError(err, 401)
            ? "This sign-in link has expired or was used already. Enter your email to get a new one."
            : `We could not sign you in (${errorMessage(err)}).`,
        ),
      )
      .finally(() => setLinking(false));
  }, [linking, linkToken, params.tenant, accept]);

  useEffect(() => {
    if (!identifying) return;
    identifyVisitor(params)
      .then((s) => accept(s))
      .catch((err) => setNotice(`We could not confirm who you are (${errorMessage(err)}).`))
      .finally(() => setIdentifying(false));
  }, [identifying, params, accept]);

  let body: ReactNode;
  if (!params.tenant) body = <p className="widget-body">This chat is not set up: the tenant is missing.</p>;
  else if (linking)
    body = (
      <p className="widget-body muted" data-testid="widget-linking">
        Signing you in…
      </p>
    );
  else if (identifying) body = <p className="widget-body muted">Connecting…</p>;
  else if (!session) body = <WidgetSignIn tenant={params.tenant} notice={notice} onSession={accept} />;
  else
    body = (
      <SocketProvider token={session.token}>
        <WidgetChat session={session} onExpired={expired} />
      </SocketProvider>
    );

  return (
    <div className="widget" data-testid="widget">
      <header className="widget-header">
        <strong>Chat with us</strong>
        <span className="spacer" />
        <Button
          size="sm"
          variant="ghost"
          aria-label="Close chat"
          onClick={closeWidget}
          data-testid="widget-close"
        >
          ×
        </Button>
      </header>
      {body}
    </div>
  );
}
