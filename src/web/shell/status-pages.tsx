import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { errorMessage } from "../lib/api";
import { Button, Card } from "../ui";
import { ThemeToggle } from "./theme-toggle";

function StatusPage({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <main className="centered-page" data-testid={testId}>
      <div className="corner">
        <ThemeToggle />
      </div>
      <Card title={title}>{children}</Card>
    </main>
  );
}

export function NotFoundPage() {
  return (
    <StatusPage title="Page not found" testId="not-found">
      <p className="muted">There is nothing at this address.</p>
      <Link to="/" data-testid="not-found-home">
        Go to your home page
      </Link>
    </StatusPage>
  );
}

/** Shown inside an area the user may enter but a page of which needs a permission they lack. */
export function ForbiddenPage({ home }: { home: string }) {
  return (
    <StatusPage title="You can't see this" testId="forbidden">
      <p className="muted">Your role does not allow this page. Ask an administrator if you need it.</p>
      <Link to={home} data-testid="forbidden-home">
        Back to your home page
      </Link>
    </StatusPage>
  );
}

export function LoadingPage() {
  return (
    <main className="centered-page" aria-busy="true" data-testid="loading">
      <p className="muted">Loading…</p>
    </main>
  );
}

export function ErrorPage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <StatusPage title="Something went wrong" testId="error-page">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <Button onClick={onRetry} data-testid="error-retry">
          Try again
        </Button>
      )}
    </StatusPage>
  );
}
