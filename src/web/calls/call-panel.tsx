import { type ReactNode, useEffect, useState } from "react";
import { formatClock } from "../lib/wait";
import { Button } from "../ui";
import type { CallSession } from "./use-call-session";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/**
 * The running call: who is on the other end, the timer from the answer, mute and hang up, live figures, and,
 * once the customer has been told, that it is recorded. `children`: what one side adds (the agent's recording).
 */
export function CallPanel({
  session,
  otherName,
  children,
}: {
  session: CallSession;
  otherName: string;
  children?: ReactNode;
}) {
  const { call, link, live, muted } = session;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  if (!call) return null;
  const since = call.answeredAt ? Date.parse(call.answeredAt) : now;
  const connected = link === "connected";
  return (
    <div className="call-panel" data-testid="call-panel" data-link={link ?? "new"}>
      <div className="call-panel-who">
        <span className="call-dot" data-on={connected} aria-hidden />
        <strong data-testid="call-other-name">{otherName}</strong>
        <span className="muted" data-testid="call-link">
          {connected ? "Connected" : link === "failed" ? "Connection lost" : "Connecting audio…"}
        </span>
      </div>
      <div className="call-timer" data-testid="call-timer" aria-live="off">
        {formatClock((now - since) / 1000)}
      </div>
      <div
        className="call-figures muted"
        data-testid="call-stats"
        data-bytes-sent={live?.bytesSent ?? 0}
        data-bytes-received={live?.bytesReceived ?? 0}
      >
        {live
          ? `${kb(live.bytesSent)} sent · ${kb(live.bytesReceived)} received · ${live.rttMs} ms round trip · ${live.packetLossPct}% lost`
          : "Waiting for audio…"}
      </div>
      {call.recordingNoticeAt && (
        <p className="call-recorded-notice" role="status" data-testid="call-recorded-notice">
          This call is recorded.
        </p>
      )}
      {children}
      <div className="call-actions">
        <Button data-testid="call-mute" aria-pressed={muted} onClick={session.toggleMute}>
          {muted ? "Unmute" : "Mute"}
        </Button>
        <Button variant="danger" data-testid="call-hang-up" onClick={() => void session.hangUp()}>
          Hang up
        </Button>
      </div>
      {session.error && (
        <p className="call-error" role="alert">
          {session.error}
        </p>
      )}
    </div>
  );
}

/** How an ended call is summed up for either side. */
export function endedText(status: string, durationSeconds: number | null): string {
  if (status === "completed") return `Call ended after ${formatClock(durationSeconds ?? 0)}.`;
  if (status === "missed") return "Nobody could answer in time. Please try again later or start a chat.";
  if (status === "abandoned") return "You left the call queue.";
  return "The call has ended.";
}
