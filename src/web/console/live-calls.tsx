import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Call, CallParty } from "../../protocol/call";
import type { CallStatus } from "../../protocol/enums";
import { isLive } from "../calls/use-call-session";
import { api, errorMessage } from "../lib/api";
import { hasPermission } from "../lib/me";
import { useNow } from "../lib/queue";
import { useSocketEvent } from "../lib/socket";
import type { Page } from "../lib/types";
import { secondsSince } from "../lib/wait";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Badge, Card, type Column, Table, type Tone } from "../ui";
import { QueueClock } from "./queue-view";

export const callStatusLabels: Record<CallStatus, string> = {
  queued: "Waiting",
  ringing: "Ringing",
  active: "On the call",
  completed: "Completed",
  missed: "Missed",
  abandoned: "Abandoned",
  failed: "Failed",
};

export const callStatusTones: Record<CallStatus, Tone> = {
  queued: "warning",
  ringing: "warning",
  active: "success",
  completed: "neutral",
  missed: "danger",
  abandoned: "neutral",
  failed: "danger",
};

/** Who called: their name (in `testId`) and, when known, their email. */
export function Caller({ customer, testId }: { customer: CallParty | null; testId: string }) {
  return (
    <span className="queue-chat">
      <span data-testid={testId}>{customer?.name ?? "A visitor"}</span>
      {customer?.email && <span className="muted queue-customer">{customer.email}</span>}
    </span>
  );
}

/** The statuses of a call going on (protocol/call's, repeated here: that module brings zod with it). */
const liveStatuses = ["active", "ringing", "queued"] as const satisfies readonly CallStatus[];
const liveKey = ["/calls", "live"] as const;

/** Talking first, longest first; then the waiting, in the order they called. */
function ordered(calls: Call[]): Call[] {
  const since = (c: Call) => c.answeredAt ?? c.queuedAt;
  return [...calls].sort(
    (a, b) =>
      Number(b.status === "active") - Number(a.status === "active") || since(a).localeCompare(since(b)),
  );
}

/**
 * The tenant's calls going on now. The API filters by one status at a time, so one request per live status; then
 * every `call:updated` (which reaches the staff who see every call) moves a call in or out (after a reconnect the
 * socket provider asks for them again, as for every query).
 */
function useLiveCalls() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: liveKey,
    queryFn: async () => {
      const pages = await Promise.all(
        liveStatuses.map((status) => api.get<Page<Call>>("/calls", { status, limit: 100 })),
      );
      return ordered(pages.flatMap((p) => p.items));
    },
  });
  useSocketEvent("call:updated", ({ call }) =>
    client.setQueryData<Call[]>(liveKey, (calls) => {
      if (!calls) return calls;
      const others = calls.filter((c) => c.id !== call.id);
      return ordered(isLive(call) ? [...others, call] : others);
    }),
  );
  return query;
}

/** Time on the call since it was answered, or waiting since it was placed, counting on with this browser's clock. */
function Clock({ call, now }: { call: Call; now: number }) {
  const talking = call.status === "active" && call.answeredAt;
  const seconds = secondsSince(Date.parse(call.answeredAt ?? call.queuedAt), now);
  return (
    <QueueClock
      seconds={seconds}
      title={`${talking ? "On the call" : "Waiting"} for`}
      testId={`live-call-timer-${call.id}`}
    />
  );
}

function LiveCallsCard() {
  const live = useLiveCalls();
  const calls = live.data ?? [];
  const now = useNow(1000, calls.length > 0);
  const talking = calls.filter((c) => c.status === "active").length;
  const columns: Column<Call>[] = [
    {
      header: "Customer",
      cell: (c) => <Caller customer={c.customer} testId={`live-call-customer-${c.id}`} />,
    },
    {
      header: "Agent",
      cell: (c) => (
        <span data-testid={`live-call-agent-${c.id}`} className={c.agent ? undefined : "muted"}>
          {c.agent?.name ?? "Not answered yet"}
        </span>
      ),
    },
    {
      header: "Status",
      cell: (c) => (
        <Badge tone={callStatusTones[c.status]} testId={`live-call-status-${c.id}`}>
          {callStatusLabels[c.status]}
        </Badge>
      ),
      nowrap: true,
    },
    { header: "Time", cell: (c) => <Clock call={c} now={now} />, nowrap: true },
  ];
  return (
    <Card
      title="Live calls"
      className="queue-card"
      actions={
        <Badge tone={talking ? "success" : "neutral"} testId="live-calls-total">
          {talking === 1 ? "1 on a call" : `${talking} on calls`}
        </Badge>
      }
      data-testid="live-calls"
    >
      {live.isError && <Alert tone="danger">{errorMessage(live.error)}</Alert>}
      <Table
        columns={columns}
        rows={calls}
        rowKey={(c) => c.id}
        rowTestId={(c) => `live-call-${c.id}`}
        loading={live.isPending}
        empty={<span data-testid="live-calls-empty">No calls going on.</span>}
        testId="live-calls-table"
        caption="Calls going on now and calls waiting"
      />
    </Card>
  );
}

/** Calls going on and waiting across the tenant, live: for those who see every call (team leads and above). */
export function LiveCalls() {
  const me = useSignedIn();
  if (!hasPermission(me, "chats.all")) return null;
  return <LiveCallsCard />;
}
