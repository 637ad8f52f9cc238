import type { ReactNode } from "react";
import { NotifyButton } from "../chat/message-alerts";
import { AppShell } from "../shell/app-shell";

export function PortalShell({ children }: { children: ReactNode }) {
  return (
    <AppShell
      nav={[
        { to: "/portal", label: "Home", testId: "nav-portal-home", end: true },
        { to: "/portal/tickets", label: "Tickets", testId: "nav-portal-tickets" },
      ]}
      tools={<NotifyButton />}
    >
      {children}
    </AppShell>
  );
}
