import { Route, Routes } from "react-router-dom";
import { hasPermission } from "../lib/me";
import { useSignedIn } from "../shell/signed-in";
import { StaffShell } from "../shell/staff-shell";
import { ForbiddenPage, NotFoundPage } from "../shell/status-pages";
import { Badge, Card } from "../ui";
import { StaffBoard } from "./staff-board";

function Inbox() {
  return (
    <Card title="Inbox" actions={<Badge tone="warning">Coming soon</Badge>} data-testid="console-inbox">
      <p className="muted">
        Your assigned chats and the queue will appear here. Set yourself online above to be offered new chats
        once live chat is enabled.
      </p>
    </Card>
  );
}

function ConsoleHome() {
  const me = useSignedIn();
  return (
    <>
      <div className="page-title">
        <h1>Console</h1>
      </div>
      <Inbox />
      {hasPermission(me, "staff.view") && <StaffBoard />}
    </>
  );
}

export function ConsoleArea() {
  const me = useSignedIn();
  return (
    <Routes>
      <Route
        index
        element={
          <StaffShell>
            <ConsoleHome />
          </StaffShell>
        }
      />
      <Route
        path="team"
        element={
          hasPermission(me, "staff.view") ? (
            <StaffShell>
              <StaffBoard />
            </StaffShell>
          ) : (
            <ForbiddenPage home="/console" />
          )
        }
      />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
