import { Link } from "react-router-dom";
import { CallUsCard } from "../calls/call-us-card";
import { formatDate } from "../lib/labels";
import { useSignedIn } from "../shell/signed-in";
import { Card } from "../ui";
import { MyChats } from "./my-chats";
import { PortalShell } from "./portal-shell";
import { StartChatCard } from "./start-chat-card";

/** The customer's home: start a chat, follow their conversations, find their tickets. */
export function PortalPage() {
  const { user, tenant } = useSignedIn();
  return (
    <PortalShell>
      <Card data-testid="portal-welcome">
        <h1>Welcome, {user.name}</h1>
        <p className="muted">
          This is your support space with <strong data-testid="portal-tenant">{tenant?.name}</strong>. Start a
          conversation with our team or follow up on a request.
        </p>
      </Card>
      <div className="portal-columns">
        <MyChats />
        <div className="stack">
          <StartChatCard />
          <CallUsCard />
          <Card title="My tickets" data-testid="portal-tickets-card">
            <p className="muted">
              For requests that take longer than a chat: open a ticket, follow its progress and reply in it.
            </p>
            <Link
              to="/portal/tickets"
              className="btn btn-secondary tk-link-button"
              data-testid="portal-open-tickets"
            >
              View my tickets
            </Link>
          </Card>
          <Card title="Profile" data-testid="portal-profile-card">
            <dl className="details">
              <dt>Name</dt>
              <dd data-testid="profile-name">{user.name}</dd>
              <dt>Email</dt>
              <dd data-testid="profile-email">{user.email}</dd>
              <dt>Member since</dt>
              <dd>{formatDate(user.createdAt)}</dd>
            </dl>
          </Card>
        </div>
      </div>
    </PortalShell>
  );
}
