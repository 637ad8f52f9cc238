import type { ReactNode } from "react";
import { Route, Routes } from "react-router-dom";
import { StaffCallsProvider } from "../calls/staff-calls";
import { useChatAlerts } from "../chat/message-alerts";
import { hasPermission, mayOpenCalls } from "../lib/me";
import { useQueueSync } from "../lib/queue";
import { SocketProvider } from "../lib/socket";
import { useSignedIn } from "../shell/signed-in";
import { StaffShell } from "../shell/staff-shell";
import { ForbiddenPage, NotFoundPage } from "../shell/status-pages";
import { ConsoleTicketPage } from "../tickets/console-ticket-page";
import { ConsoleTicketsPage } from "../tickets/console-tickets-page";
import { useOwnPresence } from "./availability-switch";
import { CallsPage } from "./calls-page";
import { CannedPage } from "./canned-page";
import { ConversationPage } from "./conversation-page";
import { Inbox } from "./inbox";
import { QueueView } from "./queue-view";
import { StaffBoard } from "./staff-board";

const conversationLink = (id: string) => `/console/conversations/${id}`;

/** Renders nothing: live caches and alerts for every console page, inside the socket's provider. */
function ConsoleAlerts() {
  const me = useSignedIn();
  useChatAlerts(me.user.id, conversationLink);
  useQueueSync();
  useOwnPresence(me.user.id);
  return null;
}

/** Those who answer calls get the call dock (toasts, the call they are on) over every page, and may answer. */
function CallDock({ children }: { children: ReactNode }) {
  const me = useSignedIn();
  if (!hasPermission(me, "calls.answer")) return children;
  return <StaffCallsProvider meId={me.user.id}>{children}</StaffCallsProvider>;
}

/** Waiting chats first (someone should take them), then the staff member's own inbox. */
function ConsoleHome() {
  return (
    <>
      <div className="page-title">
        <h1>Console</h1>
      </div>
      <QueueView />
      <Inbox />
    </>
  );
}

function QueuePage() {
  return (
    <>
      <div className="page-title">
        <h1>Queue</h1>
      </div>
      <QueueView title="Waiting chats" />
    </>
  );
}

/** The staff area: one socket for all its pages, so moving between them keeps the connection and rooms. */
export function ConsoleArea() {
  const me = useSignedIn();
  return (
    <SocketProvider>
      <ConsoleAlerts />
      <CallDock>
        <Routes>
          <Route
            index
            element={
              <StaffShell alerts>
                <ConsoleHome />
              </StaffShell>
            }
          />
          <Route
            path="queue"
            element={
              <StaffShell alerts>
                <QueuePage />
              </StaffShell>
            }
          />
          <Route
            path="calls"
            element={
              mayOpenCalls(me) ? (
                <StaffShell alerts>
                  <CallsPage />
                </StaffShell>
              ) : (
                <ForbiddenPage home="/console" />
              )
            }
          />
          <Route path="conversations/:id" element={<ConversationPage />} />
          <Route
            path="canned-responses"
            element={
              <StaffShell alerts>
                <CannedPage />
              </StaffShell>
            }
          />
          <Route
            path="team"
            element={
              hasPermission(me, "staff.view") ? (
                <StaffShell alerts>
                  <StaffBoard />
                </StaffShell>
              ) : (
                <ForbiddenPage home="/console" />
              )
            }
          />
          <Route
            path="tickets"
            element={
              hasPermission(me, "tickets.work") ? <ConsoleTicketsPage /> : <ForbiddenPage home="/console" />
            }
          />
          <Route
            path="tickets/:id"
            element={
              hasPermission(me, "tickets.work") ? <ConsoleTicketPage /> : <ForbiddenPage home="/console" />
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </CallDock>
    </SocketProvider>
  );
}
