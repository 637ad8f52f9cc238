import type { ComponentType } from "react";
import { Navigate, Route, Routes, useNavigate, useParams } from "react-router-dom";
import { hasPermission, homePath } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { StaffShell } from "../shell/staff-shell";
import { ForbiddenPage, NotFoundPage } from "../shell/status-pages";
import { type TabItem, Tabs, tabPanelProps } from "../ui";
import { AuditTab } from "./audit-tab";
import { CannedTab } from "./canned-tab";
import { SettingsTab } from "./settings-tab";
import { StaffTab } from "./staff-tab";
import { TeamsTab } from "./teams-tab";

const tabs: readonly TabItem[] = [
  { id: "staff", label: "Staff" },
  { id: "teams", label: "Teams" },
  { id: "canned", label: "Canned responses" },
  { id: "settings", label: "Settings" },
  { id: "audit", label: "Audit log" },
];
const panels: Record<string, ComponentType> = {
  staff: StaffTab,
  teams: TeamsTab,
  canned: CannedTab,
  settings: SettingsTab,
  audit: AuditTab,
};

/** Each tab has its own address (/admin/teams…) so it can be bookmarked and survives a reload. */
function AdminPage() {
  const { tab = "" } = useParams();
  const navigate = useNavigate();
  const Panel = panels[tab];
  if (!Panel) return <NotFoundPage />;
  return (
    <StaffShell>
      <div className="page-title">
        <h1>Administration</h1>
      </div>
      <Tabs
        items={tabs}
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
  if (!hasPermission(me, "settings.manage")) return <ForbiddenPage home={homePath(me.user.role)} />;
  return (
    <Routes>
      <Route index element={<Navigate replace to="staff" />} />
      <Route path=":tab" element={<AdminPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
