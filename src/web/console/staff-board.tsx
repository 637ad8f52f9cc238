import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link } from "react-router-dom";
import type { Availability } from "../../protocol/enums";
import { rank } from "../../protocol/roles";
import { api, errorMessage } from "../lib/api";
import { type Conversation, conversationsPath } from "../lib/chat";
import { availabilityLabels, formatTime, roleLabels } from "../lib/labels";
import { hasPermission } from "../lib/me";
import { usePagedList } from "../lib/paged";
import { queueKey, useNow } from "../lib/queue";
import { useSocketEvent } from "../lib/socket";
import type { Me, StaffMember } from "../lib/types";
import { durationWords, formatClock, secondsSince } from "../lib/wait";
import { AvailabilityBadge } from "../shell/availability-badge";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Card, type Column, Table, useToast } from "../ui";
import { breakMinutes, breakUntil } from "./availability-switch";
import { LiveCalls } from "./live-calls";
import { QueueView } from "./queue-view";
import { TransferDialog } from "./transfer-dialog";

/** Chats someone holds: what counts against their limit (the server's active statuses). */
const heldStatuses = ["open", "pending", "escalated"] as const;

/**
 * Every chat being worked, grouped by who holds it. One list per status, as the API filters by one status at a
 * time; the console's conversation sync refetches them whenever a conversation changes.
 */
function useHeldChats() {
  const open = usePagedList<Conversation>(conversationsPath, {
    view: "all",
    kind: "support",
    status: heldStatuses[0],
    limit: 200,
  });
  const pending = usePagedList<Conversation>(conversationsPath, {
    view: "all",
    kind: "support",
    status: heldStatuses[1],
    limit: 200,
  });
  const escalated = usePagedList<Conversation>(conversationsPath, {
    view: "all",
    kind: "support",
    status: heldStatuses[2],
    limit: 200,
  });
  const byAssignee = new Map<string, Conversation[]>();
  for (const c of [...open.items, ...pending.items, ...escalated.items]) {
    if (!c.assignee) continue;
    byAssignee.set(c.assignee.id, [...(byAssignee.get(c.assignee.id) ?? []), c]);
  }
  for (const list of byAssignee.values())
    list.sort((a, b) => (a.assignedAt ?? a.createdAt).localeCompare(b.assignedAt ?? b.createdAt));
  const error = open.error ?? pending.error ?? escalated.error;
  return { byAssignee, error };
}

/**
 * The board follows the floor live: availability changes (`presence`), chats handed out or given back (the queue
 * and conversation events) change loads. Bursts of events cause one refetch.
 */
function useBoardSync() {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: ["/staff"] });
    }, 250);
  };
  useSocketEvent("presence", refresh);
  useSocketEvent("queue:updated", refresh);
  useSocketEvent("conversation:assigned", refresh);
  useSocketEvent("conversation:updated", refresh);
}

/** Team leads put agents on a break; nobody manages people at or above their own level (admins excepted). */
function mayManageBreaks(me: Me, s: StaffMember): boolean {
  if (!hasPermission(me, "breaks.manage") || s.id === me.user.id) return false;
  return rank(s.role) < rank(me.user.role) || (me.user.role === "admin" && s.role === "admin");
}

function LoadBar({ s }: { s: StaffMember }) {
  // Green while there is plenty of room, amber from 60 %, red when full.
  return (
    <span className="load">
      <meter
        className="load-bar"
        min={0}
        max={s.maxChats}
        low={s.maxChats * 0.6}
        high={s.maxChats - 0.5}
        optimum={0}
        value={s.activeChats}
        aria-label={`${s.name}: ${s.activeChats} of ${s.maxChats} chats`}
      />
      <span className="load-text" data-testid={`board-load-${s.email}`}>
        {s.activeChats} of {s.maxChats}
      </span>
    </span>
  );
}

function Status({ s }: { s: StaffMember }) {
  return (
    <span className="board-status" data-testid={`board-status-${s.email}`} data-availability={s.availability}>
      <AvailabilityBadge value={s.availability} />
      {s.availability === "on_break" && s.availabilityUntil && (
        <span className="muted board-until">until {formatTime(s.availabilityUntil)}</span>
      )}
    </span>
  );
}

function HeldChats({
  chats,
  now,
  mayReassign,
  onReassign,
}: {
  chats: Conversation[];
  now: number;
  mayReassign: boolean;
  onReassign: (c: Conversation) => void;
}) {
  if (!chats.length) return <span className="muted">No chats</span>;
  return (
    <ul className="board-chats">
      {chats.map((c) => {
        // Time with this agent: since it was given to them (a reassigned chat starts again).
        const seconds = secondsSince(Date.parse(c.assignedAt ?? c.createdAt), now);
        return (
          <li key={c.id} data-testid={`board-chat-${c.number}`}>
            <Link to={`/console/conversations/${c.id}`} className="board-chat-link">
              #{c.number} {c.customer?.name ?? c.subject ?? "Chat"}
            </Link>
            <span
              className="queue-clock muted"
              title={`With them for ${durationWords(seconds)}`}
              data-testid={`board-chat-time-${c.number}`}
            >
              {formatClock(seconds)}
            </span>
            {c.status !== "open" && <span className="muted">({c.status})</span>}
            {mayReassign && (
              <Button
                size="sm"
                onClick={() => onReassign(c)}
                aria-label={`Reassign chat #${c.number}`}
                data-testid={`board-reassign-${c.number}`}
              >
                Reassign
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function useBreaks() {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (input: { s: StaffMember; status: Availability; minutes?: number }) =>
      api.patch<StaffMember>(`/staff/${input.s.id}`, {
        availability: {
          status: input.status,
          ...(input.minutes ? { until: breakUntil(input.minutes) } : {}),
        },
      }),
    onSuccess: (fresh) => {
      toast(
        fresh.availability === "on_break" && fresh.availabilityUntil
          ? `${fresh.name} is on a break until ${formatTime(fresh.availabilityUntil)}.`
          : `${fresh.name} is ${availabilityLabels[fresh.availability].toLowerCase()}.`,
        "success",
      );
      void client.invalidateQueries({ queryKey: ["/staff"] });
      void client.invalidateQueries({ queryKey: queueKey });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
}

function BreakControl({ s, breaks }: { s: StaffMember; breaks: ReturnType<typeof useBreaks> }) {
  const busy = breaks.isPending && breaks.variables?.s.id === s.id;
  if (s.availability === "on_break") {
    return (
      <Button
        size="sm"
        busy={busy}
        onClick={() => breaks.mutate({ s, status: "online" })}
        data-testid={`board-end-break-${s.email}`}
      >
        End break
      </Button>
    );
  }
  if (s.availability === "offline") return <span className="muted">Offline</span>;
  return (
    <select
      className="input board-break"
      aria-label={`Put ${s.name} on a break`}
      value=""
      disabled={busy}
      onChange={(e) => {
        const minutes = Number(e.target.value);
        if (minutes) breaks.mutate({ s, status: "on_break", minutes });
      }}
      data-testid={`board-break-${s.email}`}
    >
      <option value="">Break…</option>
      {breakMinutes.map((m) => (
        <option key={m} value={m}>
          {m} minutes
        </option>
      ))}
    </select>
  );
}

function Summary({ staff, chats }: { staff: StaffMember[]; chats: number }) {
  const count = (a: Availability) => staff.filter((s) => s.availability === a).length;
  const room = staff
    .filter((s) => s.availability === "online")
    .reduce((sum, s) => sum + Math.max(0, s.maxChats - s.activeChats), 0);
  const tiles = [
    { label: "Online", value: count("online"), id: "online" },
    { label: "On break", value: count("on_break"), id: "on-break" },
    { label: "Away", value: count("away"), id: "away" },
    { label: "Chats being worked", value: chats, id: "chats" },
    { label: "Free places", value: room, id: "room" },
  ];
  return (
    <dl className="board-summary" data-testid="board-summary">
      {tiles.map((t) => (
        <div key={t.id} className="board-tile">
          <dt>{t.label}</dt>
          <dd data-testid={`board-summary-${t.id}`}>{t.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The floor for team leads and above: who is available (and until when a break lasts), how loaded each person
 * is, the chats they hold and for how long, the calls going on, and the queue. Chats are reassigned and breaks
 * given from here.
 */
export function StaffBoard() {
  const me = useSignedIn();
  const staff = usePagedList<StaffMember>("/staff", { limit: 200 });
  const held = useHeldChats();
  const breaks = useBreaks();
  const now = useNow(1000);
  const [reassigning, setReassigning] = useState<Conversation | null>(null);
  useBoardSync();
  const mayReassign = hasPermission(me, "chats.reassign");
  const heldCount = [...held.byAssignee.values()].reduce((n, list) => n + list.length, 0);

  const columns: Column<StaffMember>[] = [
    {
      header: "Name",
      cell: (s) => (
        <span className="board-person">
          <span>{s.name}</span>
          <span className="muted">{roleLabels[s.role]}</span>
        </span>
      ),
    },
    { header: "Status", cell: (s) => <Status s={s} />, nowrap: true },
    { header: "Load", cell: (s) => <LoadBar s={s} />, nowrap: true },
    {
      header: "Current chats",
      cell: (s) => (
        <HeldChats
          chats={held.byAssignee.get(s.id) ?? []}
          now={now}
          mayReassign={mayReassign}
          onReassign={setReassigning}
        />
      ),
    },
    {
      header: "Break",
      cell: (s) => (mayManageBreaks(me, s) ? <BreakControl s={s} breaks={breaks} /> : null),
      nowrap: true,
    },
  ];

  return (
    <div className="stack" data-testid="staff-board">
      <div className="page-title">
        <h1>Team board</h1>
        <span className="spacer" />
        <Button
          size="sm"
          onClick={() => {
            void staff.refetch();
          }}
          busy={staff.isFetching}
          data-testid="staff-board-refresh"
        >
          Refresh
        </Button>
      </div>
      <Summary staff={staff.items} chats={heldCount} />
      <Card title="People">
        {staff.isError && <Alert tone="danger">{errorMessage(staff.error)}</Alert>}
        {held.error ? <Alert tone="danger">{errorMessage(held.error)}</Alert> : null}
        <Table
          columns={columns}
          rows={staff.items}
          rowKey={(s) => s.id}
          rowTestId={(s) => `staff-board-row-${s.email}`}
          loading={staff.isPending}
          empty="No staff yet."
          testId="staff-board-table"
          caption="Staff availability, load and current chats"
        />
        {staff.hasNextPage && (
          <Button
            onClick={() => staff.fetchNextPage()}
            busy={staff.isFetchingNextPage}
            data-testid="staff-board-more"
          >
            Load more
          </Button>
        )}
      </Card>
      <LiveCalls />
      <QueueView />
      {reassigning && (
        <TransferDialog
          open
          title={`Reassign chat #${reassigning.number}`}
          conversationId={reassigning.id}
          assigneeId={reassigning.assignee?.id}
          onClose={() => setReassigning(null)}
        />
      )}
    </div>
  );
}
