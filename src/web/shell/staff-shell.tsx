import type { ReactNode } from "react";
import { AvailabilitySwitch } from "../console/availability-switch";
import { hasPermission } from "../lib/me";
import { AppShell, type NavItem } from "./app-shell";
import { useSignedIn } from "./signed-in";

/** The frame of every staff page: links only to what this person's permissions open. */
export function StaffShell({ children }: { children: ReactNode }) {
  const me = useSignedIn();
  const nav: NavItem[] = [{ to: "/console", label: "Inbox", testId: "nav-inbox", end: true }];
  if (hasPermission(me, "staff.view"))
    nav.push({ to: "/console/team", label: "Team board", testId: "nav-team-board" });
  if (hasPermission(me, "settings.manage")) nav.push({ to: "/admin", label: "Admin", testId: "nav-admin" });
  const tools = hasPermission(me, "availability.set") ? <AvailabilitySwitch /> : null;
  return (
    <AppShell nav={nav} tools={tools}>
      {children}
    </AppShell>
  );
}
