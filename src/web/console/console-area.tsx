import { Route, Routes } from "react-router-dom";
import { StaffCalls } from "../calls/staff-calls";
import { useChatAlerts } from "../chat/message-alerts";
import { hasPermission } from "../lib/me";
import { useQueueSync } from "../lib/queue";
import { SocketProvider } from "../lib/socket";
import { useSignedIn } from "../shell/signed-in";
import { StaffShell } from "../shell/staff-shell";
import { ForbiddenPage, NotFoundPage } from "../shell/status-pages";
import { ConsoleTicketPage } from "../tickets/console-ticket-page";
import { ConsoleTicketsPage } from "../tickets/console-tickets-page";
import { useOwnPresence } from "./availability-switch";
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
  return hasPermission(me, "calls.answer") ? <StaffCalls meId={me.user.id} /> : null;
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
    </SocketProvider>
  );
}
