import { type InfiniteData, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { Call, QueuedCall } from "../../protocol/call";
import { useCallControl } from "../calls/call-control";
import { RecordingPlayer } from "../calls/recording-player";
import { errorMessage, isApiError } from "../lib/api";
import { formatDateTime } from "../lib/labels";
import { LoadMore } from "../lib/load-more";
import { hasPermission } from "../lib/me";
import { usePagedList } from "../lib/paged";
import { queueKey, useNow, useQueue } from "../lib/queue";
import { useSocketEvent } from "../lib/socket";
import type { Page } from "../lib/types";
import { secondsSince } from "../lib/wait";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Badge, Button, Card, type Column, Table } from "../ui";
import { Caller, callStatusLabels, callStatusTones, LiveCalls } from "./live-calls";
import { QueueClock } from "./queue-view";

const recentPath = "/calls";
const recentFilters = { limit: 25 };

/**
 * Waiting calls in the order they are answered, with live waiting times (the cached queue that `queue:updated`
 * keeps current), and Answer, which opens the microphone and takes the call through the call dock. A call someone
 * else answered first is a 409: said here, and the queue is asked again so its row goes.
 */
function CallQueue() {
  const control = useCallControl();
  const client = useQueryClient();
  const queue = useQueue();
  const now = useNow(1000);
  const [answering, setAnswering] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const elapsed = queue.data ? secondsSince(queue.dataUpdatedAt, now) : 0;
  const calls = queue.data?.calls ?? [];

  const answer = async (call: QueuedCall) => {
    if (!control) return;
    setAnswering(call.callId);
    setProblem(null);
    try {
      await control.answer(call.callId);
    } catch (err) {
      // The server's 409 says why: someone else answered first, the call ended, or this person is at their limit.
      setProblem(errorMessage(err));
      if (isApiError(err, 409)) void client.invalidateQueries({ queryKey: queueKey });
    } finally {
      setAnswering(null);
    }
  };

  const columns: Column<QueuedCall>[] = [
    {
      header: <abbr title="Position in line">#</abbr>,
      cell: (c) => (
        <span className="queue-position" data-testid={`call-queue-position-${c.callId}`}>
          {c.position}
        </span>
      ),
      nowrap: true,
    },
    {
      header: "Caller",
      cell: (c) => <Caller customer={c.customer} testId={`call-queue-customer-${c.callId}`} />,
    },
    {
      header: "Status",
      cell: (c) => <Badge tone={callStatusTones[c.status]}>{callStatusLabels[c.status]}</Badge>,
      nowrap: true,
    },
    {
      header: "Waiting",
      cell: (c) => (
        <QueueClock
          seconds={c.waitingSeconds + elapsed}
          title="Waiting"
          testId={`call-queue-waiting-${c.callId}`}
        />
      ),
      nowrap: true,
    },
  ];
  if (control)
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      cell: (c) => (
        <Button
          variant="primary"
          size="sm"
          busy={answering === c.callId}
          disabled={!!control.current || (answering !== null && answering !== c.callId)}
          title={control.current ? "Finish your call first" : undefined}
          onClick={() => void answer(c)}
          aria-label={`Answer ${c.customer?.name ?? "the visitor"}'s call`}
          data-testid={`call-queue-answer-${c.callId}`}
        >
          Answer
        </Button>
      ),
      nowrap: true,
    });

  return (
    <Card
      title="Call queue"
      className="queue-card"
      actions={
        <Badge tone={calls.length ? "warning" : "neutral"} testId="call-queue-total">
          {calls.length === 1 ? "1 waiting" : `${calls.length} waiting`}
        </Badge>
      }
      data-testid="call-queue"
    >
      {queue.isError && <Alert tone="danger">{errorMessage(queue.error)}</Alert>}
      {problem && (
        <Alert tone="danger" testId="call-queue-problem">
          {problem}
        </Alert>
      )}
      <Table
        columns={columns}
        rows={calls}
        rowKey={(c) => c.callId}
        rowTestId={(c) => `call-queue-row-${c.callId}`}
        loading={queue.isPending}
        empty={<span data-testid="call-queue-empty">Nobody is waiting to talk.</span>}
        testId="call-queue-table"
        caption="Waiting calls in the order they are answered"
      />
    </Card>
  );
}

/** A call's score, 1–5 with one decimal, and a badge when either side's line was poor. */
function Quality({ call }: { call: Call }) {
  if (call.quality === null) return <span className="muted">—</span>;
  return (
    <span className="row call-quality">
      <span
        className="queue-clock"
        title="Estimated mean opinion score, 1 (bad) to 5 (excellent)"
        data-testid={`recent-call-quality-${call.id}`}
      >
        {call.quality.toFixed(1)}
      </span>
      {call.poorQuality && (
        <Badge tone="danger" testId={`recent-call-poor-${call.id}`}>
          Poor
        </Badge>
      )}
    </span>
  );
}

/** Recordings are fetched when asked for, not for every row of the list. */
function Recording({ call }: { call: Call }) {
  const [open, setOpen] = useState(false);
  if (!call.recordingAvailable) return <span className="muted">—</span>;
  if (open)
    return (
      <RecordingPlayer
        callId={call.id}
        label={`Recording of the call with ${call.customer?.name ?? "a visitor"}`}
      />
    );
  return (
    <Button size="sm" onClick={() => setOpen(true)} data-testid={`recent-call-listen-${call.id}`}>
      Listen
    </Button>
  );
}

/**
 * Changes to calls already listed are written into the cached pages as they come; a call that is not listed yet
 * (a new one) asks for the list again, once for a burst.
 */
function useRecentCallsSync() {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = [recentPath, recentFilters];
  useSocketEvent("call:updated", ({ call }) => {
    let listed = false;
    client.setQueryData<InfiniteData<Page<Call>>>(key, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.map((c) => {
                if (c.id !== call.id) return c;
                listed = true;
                return call;
              }),
            })),
          }
        : data,
    );
    if (listed || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: key, exact: true });
    }, 250);
  });
}

function RecentCalls() {
  const list = usePagedList<Call>(recentPath, recentFilters);
  useRecentCallsSync();
  const columns: Column<Call>[] = [
    { header: "When", cell: (c) => formatDateTime(c.queuedAt), nowrap: true },
    { header: "Customer", cell: (c) => c.customer?.name ?? <span className="muted">A visitor</span> },
    { header: "Agent", cell: (c) => c.agent?.name ?? <span className="muted">—</span> },
    {
      header: "Status",
      cell: (c) => (
        <Badge tone={callStatusTones[c.status]} testId={`recent-call-status-${c.id}`}>
          {callStatusLabels[c.status]}
        </Badge>
      ),
      nowrap: true,
    },
    {
      header: "Duration",
      cell: (c) =>
        c.durationSeconds === null ? (
          <span className="muted">—</span>
        ) : (
          <QueueClock seconds={c.durationSeconds} title="Lasted" testId={`recent-call-duration-${c.id}`} />
        ),
      nowrap: true,
    },
    { header: "Quality", cell: (c) => <Quality call={c} />, nowrap: true },
    { header: "Recording", cell: (c) => <Recording call={c} /> },
  ];
  return (
    <Card title="Recent calls" className="recent-calls" data-testid="recent-calls">
      {list.isError && <Alert tone="danger">{errorMessage(list.error)}</Alert>}
      <Table
        columns={columns}
        rows={list.items}
        rowKey={(c) => c.id}
        rowTestId={(c) => `recent-call-${c.id}`}
        loading={list.isPending}
        empty={<span data-testid="recent-calls-empty">No calls yet.</span>}
        testId="recent-calls-table"
        caption="Calls, newest first"
      />
      <LoadMore list={list} testId="recent-calls-more" />
    </Card>
  );
}

/**
 * Calls for staff: the call queue to answer from, the calls going on across the tenant (for those who see every
 * call) and the recent ones with their duration, quality and recording.
 */
export function CallsPage() {
  const me = useSignedIn();
  return (
    <div className="stack" data-testid="calls-page">
      <div className="page-title">
        <h1>Calls</h1>
      </div>
      {hasPermission(me, "calls.answer") && <CallQueue />}
      <LiveCalls />
      <RecentCalls />
    </div>
  );
}
