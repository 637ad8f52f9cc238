import { useState } from "react";
import type { Call } from "../../protocol/call";
import { api, errorMessage } from "../lib/api";
import { Button, Card } from "../ui";
import { CallPanel, endedText } from "./call-panel";
import { type MicProblem, openMicrophone } from "./call-peer";
import { MicHelp } from "./mic-help";
import { fetchIceServers, isLive, useCallSession } from "./use-call-session";
import "./calls.css";

/**
 * The customer's voice call: call us, allow the microphone, wait in the call queue, talk, hang up. From a chat
 * (`conversationId`) the call belongs to it, so the agent who answers has that chat beside the call. `compact`:
 * the widget's strip above its chat, with the shortest wording.
 */
export function CustomerCall({ conversationId, compact }: { conversationId?: string; compact?: boolean }) {
  const session = useCallSession();
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<MicProblem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { call } = session;

  const start = async () => {
    setProblem(null);
    setError(null);
    setAsking(true);
    const mic = await openMicrophone();
    setAsking(false);
    if (typeof mic === "string") return setProblem(mic);
    try {
      const ice = await fetchIceServers();
      session.reset();
      session.begin(
        await api.post<Call>("/calls", conversationId ? { conversationId } : {}),
        mic,
        ice,
        false,
      );
    } catch (err) {
      for (const track of mic.getTracks()) track.stop();
      setError(errorMessage(err));
    }
  };

  const live = isLive(call);
  return (
    <div className="call-customer" data-testid="call-card" data-compact={compact ?? false}>
      {call?.status === "active" ? (
        <CallPanel session={session} otherName={call.agent?.name ?? "Support"} />
      ) : live && call ? (
        <div className="call-waiting" data-testid="call-waiting" data-status={call.status}>
          <p>
            <strong>Calling…</strong>{" "}
            <span data-testid="call-queue-position">
              {session.position ? `You are number ${session.position} in the call queue.` : "Connecting you…"}
            </span>
          </p>
          {!compact && (
            <p className="muted">Stay on this page; an agent will pick up as soon as one is free.</p>
          )}
          <Button variant="danger" data-testid="call-cancel" onClick={() => void session.hangUp()}>
            Hang up
          </Button>
        </div>
      ) : (
        <div className="stack">
          {call && (
            <p data-testid="call-ended" data-status={call.status}>
              {endedText(call.status, call.durationSeconds)}
            </p>
          )}
          {asking ? (
            <p data-testid="call-asking">Your browser is asking to use your microphone: choose "Allow".</p>
          ) : compact ? null : (
            <p className="muted">
              Talk to us from your browser. It will ask for your microphone; nothing is recorded without
              telling you first.
            </p>
          )}
          {problem && <MicHelp problem={problem} />}
          {error && (
            <p className="call-error" role="alert">
              {error}
            </p>
          )}
          <Button variant="primary" data-testid="call-us" busy={asking} onClick={() => void start()}>
            {call ? "Call again" : compact ? "Call us instead" : "Call us"}
          </Button>
        </div>
      )}
    </div>
  );
}

/** The portal's "Call us" card. */
export function CallUsCard({ conversationId }: { conversationId?: string }) {
  return (
    <Card title="Call us">
      <CustomerCall conversationId={conversationId} />
    </Card>
  );
}
