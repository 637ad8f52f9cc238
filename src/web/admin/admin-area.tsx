import type { ComponentType } from "react";
import { Navigate, Route, Routes, useNavigate, useParams } from "react-router-dom";
import type { Permission } from "../../protocol/roles";
import { hasPermission, homePath } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { StaffShell } from "../shell/staff-shell";
import { ForbiddenPage, NotFoundPage } from "../shell/status-pages";
import { type TabItem, Tabs, tabPanelProps } from "../ui";
import { AuditTab } from "./audit-tab";
import { CannedTab } from "./canned-tab";
import { DashboardTab } from "./dashboard-tab";
import { SettingsTab } from "./settings-tab";
import { StaffTab } from "./staff-tab";
import { TeamsTab } from "./teams-tab";

/** Each tab with what opens it: the dashboard for team leads and above (stats.view), the rest for admins. */
const tabs: ReadonlyArray<TabItem & { permission: Permission; panel: ComponentType }> = [
  { id: "dashboard", label: "Dashboard", permission: "stats.view", panel: DashboardTab },
  { id: "staff", label: "Staff", permission: "settings.manage", panel: StaffTab },
  { id: "teams", label: "Teams", permission: "settings.manage", panel: TeamsTab },
  { id: "canned", label: "Canned responses", permission: "settings.manage", panel: CannedTab },
  { id: "settings", label: "Settings", permission: "settings.manage", panel: SettingsTab },
  { id: "audit", label: "Audit log", permission: "settings.manage", panel: AuditTab },
];

/** Each tab has its own address (/admin/teams…) so it can be bookmarked and survives a reload. */
function AdminPage() {
  const me = useSignedIn();
  const { tab = "" } = useParams();
  const navigate = useNavigate();
  const current = tabs.find((t) => t.id === tab);
  if (!current) return <NotFoundPage />;
  if (!hasPermission(me, current.permission)) return <ForbiddenPage home={homePath(me.user.role)} />;
  const Panel = current.panel;
  const open = tabs.filter((t) => hasPermission(me, t.permission));
  return (
    <StaffShell>
      <div className="page-title">
        <h1>Administration</h1>
      </div>
      <Tabs
        items={open}
        value={tab}
        onChange={(id) => navigate(`/admin/${id}`)}
        label="Administration"
        prefix="admin-tab"
      />
      <div {...tabPanelProps("admin-tab", tab)}>
        <Panel />
      </div>
    </StaffShell>
  );
}

export function AdminArea() {
  const me = useSignedIn();
  if (!hasPermission(me, "stats.view")) return <ForbiddenPage home={homePath(me.user.role)} />;
  return (
    <Routes>
      <Route index element={<Navigate replace to="dashboard" />} />
      <Route path=":tab" element={<AdminPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
