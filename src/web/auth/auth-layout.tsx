import type { ReactNode } from "react";
import { ThemeToggle } from "../shell/theme-toggle";
import { Card } from "../ui";

export function AuthLayout({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <main className="centered-page" data-testid={testId}>
      <div className="corner">
        <ThemeToggle />
      </div>
      <div className="auth-brand">Switchboard</div>
      <Card title={title}>{children}</Card>
    </main>
  );
}
