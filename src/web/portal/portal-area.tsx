import { Route, Routes } from "react-router-dom";
import { useChatAlerts } from "../chat/message-alerts";
import { SocketProvider } from "../lib/socket";
import { useSignedIn } from "../shell/signed-in";
import { NotFoundPage } from "../shell/status-pages";
import { PortalTicketPage } from "../tickets/portal-ticket-page";
import { PortalTicketsPage } from "../tickets/portal-tickets-page";
import { PortalChatPage } from "./portal-chat-page";
import { PortalPage } from "./portal-page";

const chatLink = (id: string) => `/portal/chats/${id}`;

/** Renders nothing: live caches and alerts for every portal page, inside the socket's provider. */
function PortalAlerts() {
  const me = useSignedIn();
  useChatAlerts(me.user.id, chatLink);
  return null;
}

/** The customer's area: one socket for all its pages, so moving between them keeps the connection. */
export function PortalArea() {
  return (
    <SocketProvider>
      <PortalAlerts />
      <Routes>
        <Route index element={<PortalPage />} />
        <Route path="chats/:id" element={<PortalChatPage />} />
        <Route path="tickets" element={<PortalTicketsPage />} />
        <Route path="tickets/:id" element={<PortalTicketPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </SocketProvider>
  );
}
