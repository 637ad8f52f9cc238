import { Link, useNavigate } from "react-router-dom";
import { errorMessage } from "../lib/api";
import { priorityLabels, priorityTones } from "../lib/labels";
import { hasPermission } from "../lib/me";
import { type QueuedChat, useNow, useQueue } from "../lib/queue";
import { durationWords, formatClock, remainingWait, secondsSince, shortWait } from "../lib/wait";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Badge, Button, Card, type Column, Icon, Table } from "../ui";
import { useConversationAction } from "./use-conversation-action";

const conversationLink = (id: string) => `/console/conversations/${id}`;

/**
 * Takes the chat and opens it. If someone was quicker, the server says so (409) and the toast repeats it; the
 * queue is asked again so the row disappears.
 */
function PickUp({ chat }: { chat: QueuedChat }) {
  const me = useSignedIn();
  const navigate = useNavigate();
  const act = useConversationAction(chat.conversationId, () =>
    navigate(conversationLink(chat.conversationId)),
  );
  return (
    <Button
      variant="primary"
      size="sm"
      busy={act.isPending}
      onClick={() => act.mutate({ kind: "assign", assigneeId: me.user.id, pickup: true })}
      aria-label={`Pick up chat #${chat.number}`}
      data-testid={`queue-pickup-${chat.number}`}
    >
      Pick up
    </Button>
  );
}

/** A running clock in a queue or on a board, with the time in words (after `title`) for tooltips and readers. */
export function QueueClock({ seconds, title, testId }: { seconds: number; title: string; testId: string }) {
  return (
    <span
      className="queue-clock"
      title={`${title} ${durationWords(seconds)}`}
      data-testid={testId}
      data-seconds={seconds}
    >
      {formatClock(seconds)}
    </span>
  );
}

function columns(elapsed: number, mayPickUp: boolean): Column<QueuedChat>[] {
  const cols: Column<QueuedChat>[] = [
    {
      header: <abbr title="Position in line">#</abbr>,
      cell: (c) => (
        <span className="queue-position" data-testid={`queue-position-${c.number}`}>
          {c.position}
        </span>
      ),
      nowrap: true,
    },
    {
      header: "Chat",
      cell: (c) => (
        <span className="queue-chat">
          <Link to={conversationLink(c.conversationId)} data-testid={`queue-open-${c.number}`}>
            #{c.number} {c.subject || "No subject"}
          </Link>
          <span className="muted queue-customer" data-testid={`queue-customer-${c.number}`}>
            {c.customer ? `${c.customer.name} · ${c.customer.email}` : "Unknown customer"}
          </span>
        </span>
      ),
    },
    {
      header: "Priority",
      cell: (c) => <Badge tone={priorityTones[c.priority]}>{priorityLabels[c.priority]}</Badge>,
      nowrap: true,
    },
    {
      header: "Waiting",
      cell: (c) => (
        <span className="row queue-waiting">
          <QueueClock
            seconds={c.waitingSeconds + elapsed}
            title="Waiting"
            testId={`queue-waiting-${c.number}`}
          />
          {c.overdue && (
            <Badge tone="danger" testId={`queue-overdue-${c.number}`}>
              <span className="row queue-overdue">
                <Icon name="alert" size={12} /> Overdue
              </span>
            </Badge>
          )}
        </span>
      ),
      nowrap: true,
    },
    {
      header: "Expected",
      cell: (c) => (
        <span
          className="muted"
          title={c.expectedWaitSeconds === null ? "Nobody who could answer is online" : "Expected wait"}
          data-testid={`queue-expected-${c.number}`}
        >
          {shortWait(remainingWait(c.expectedWaitSeconds, elapsed))}
        </span>
      ),
      nowrap: true,
    },
  ];
  if (mayPickUp) {
    cols.push({
      header: <span className="visually-hidden">Actions</span>,
      cell: (c) => <PickUp chat={c} />,
      nowrap: true,
    });
  }
  return cols;
}

/**
 * Waiting chats in the order routing will hand them out (overdue first), with live waiting times; kept current by
 * `queue:updated` (see useQueueSync in the console area).
 */
export function QueueView({ title = "Queue" }: { title?: string }) {
  const me = useSignedIn();
  const queue = useQueue();
  const now = useNow(1000);
  const elapsed = queue.data ? secondsSince(queue.dataUpdatedAt, now) : 0;
  const chats = queue.data?.chats ?? [];
  const total = queue.data?.total ?? 0;
  const overdue = chats.filter((c) => c.overdue).length;
  return (
    <Card
      title={title}
      className="queue-card"
      actions={
        <span className="row">
          {overdue > 0 && <Badge tone="danger">{overdue} overdue</Badge>}
          <Badge tone={total ? "warning" : "neutral"} testId="queue-total">
            {total === 1 ? "1 waiting" : `${total} waiting`}
          </Badge>
        </span>
      }
      data-testid="queue-view"
    >
      {queue.isError && <Alert tone="danger">{errorMessage(queue.error)}</Alert>}
      <Table
        columns={columns(elapsed, hasPermission(me, "chats.pickup"))}
        rows={chats}
        rowKey={(c) => c.conversationId}
        rowTestId={(c) => `queue-row-${c.number}`}
        loading={queue.isPending}
        empty={<span data-testid="queue-empty">Nobody is waiting.</span>}
        testId="queue-table"
        caption="Waiting chats in queue order"
      />
      {total > chats.length && (
        <p className="muted queue-more">
          Showing the first {chats.length} of {total} waiting chats.
        </p>
      )}
    </Card>
  );
}
