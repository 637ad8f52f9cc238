import type { ReactNode } from "react";
import { Link, NavLink } from "react-router-dom";
import { roleLabels } from "../lib/labels";
import { homePath } from "../lib/me";
import { Badge, Button } from "../ui";
import { useSignedIn, useSignOut } from "./signed-in";
import { ThemeToggle } from "./theme-toggle";

export interface NavItem {
  to: string;
  label: string;
  testId: string;
  /** Match only the exact path, so "Inbox" at /console is not lit on /console/team. */
  end?: boolean;
}

export interface AppShellProps {
  nav?: readonly NavItem[];
  /** Controls shown before the user's name, such as the availability switch. */
  tools?: ReactNode;
  children: ReactNode;
}

/** Header and content column shared by the portal, console, admin and platform areas. */
export function AppShell({ nav = [], tools, children }: AppShellProps) {
  const me = useSignedIn();
  const signOut = useSignOut();
  return (
    <>
      <header className="app-header">
        <Link to={homePath(me.user.role)} className="brand" data-testid="brand">
          <span>Switchboard</span>
          <span className="brand-tenant" data-testid="tenant-name">
            {me.tenant?.name ?? "Platform"}
          </span>
        </Link>
        {nav.length > 0 && (
          <nav className="app-nav" aria-label="Main">
            {nav.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end} data-testid={item.testId}>
                {item.label}
              </NavLink>
            ))}
          </nav>
        )}
        <div className="header-tools">
          {tools}
          <span className="header-user">
            <span data-testid="user-name">{me.user.name}</span>
            <Badge tone="primary">{roleLabels[me.user.role]}</Badge>
          </span>
          <ThemeToggle />
          <Button size="sm" busy={signOut.isPending} onClick={() => signOut.mutate()} data-testid="sign-out">
            Sign out
          </Button>
        </div>
      </header>
      <main className="app-main">{children}</main>
    </>
  );
}
