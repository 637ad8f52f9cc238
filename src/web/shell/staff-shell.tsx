import type { ReactNode } from "react";
import { NotifyButton } from "../chat/message-alerts";
import { AvailabilitySwitch } from "../console/availability-switch";
import { hasPermission, mayOpenCalls } from "../lib/me";
import { AppShell, type NavItem } from "./app-shell";
import { useSignedIn } from "./signed-in";

/**
 * The frame of every staff page: links only to what this person's permissions open. `alerts` offers the
 * notification switch, on pages that have a live connection to be alerted from (the console, not admin).
 */
export function StaffShell({ children, alerts }: { children: ReactNode; alerts?: boolean }) {
  const me = useSignedIn();
  const nav: NavItem[] = [{ to: "/console", label: "Inbox", testId: "nav-inbox", end: true }];
  if (hasPermission(me, "queue.view"))
    nav.push({ to: "/console/queue", label: "Queue", testId: "nav-queue" });
  if (mayOpenCalls(me)) nav.push({ to: "/console/calls", label: "Calls", testId: "nav-calls" });
  if (hasPermission(me, "tickets.work"))
    nav.push({ to: "/console/tickets", label: "Tickets", testId: "nav-tickets" });
  if (hasPermission(me, "staff.view"))
    nav.push({ to: "/console/team", label: "Team board", testId: "nav-team-board" });
  if (hasPermission(me, "chats.assigned"))
    nav.push({ to: "/console/canned-responses", label: "Canned responses", testId: "nav-canned" });
  if (hasPermission(me, "settings.manage")) nav.push({ to: "/admin", label: "Admin", testId: "nav-admin" });
  // Team leads and supervisors have the admin area's dashboard only.
  else if (hasPermission(me, "stats.view"))
    nav.push({ to: "/admin/dashboard", label: "Dashboard", testId: "nav-dashboard" });
  const tools = (
    <>
      {alerts && <NotifyButton />}
      {hasPermission(me, "availability.set") && <AvailabilitySwitch />}
    </>
  );
  return (
    <AppShell nav={nav} tools={tools}>
      {children}
    </AppShell>
  );
}
