import { type ReactNode, useState } from "react";
import type { Call } from "../../protocol/call";
import { api, errorMessage, isApiError } from "../lib/api";
import { useSocketEvent } from "../lib/socket";
import { Button } from "../ui";
import { CallControlContext } from "./call-control";
import { CallPanel, endedText } from "./call-panel";
import { openMicrophone } from "./call-peer";
import { CallWorkspace } from "./call-workspace";
import { RecordingControl } from "./recording-control";
import { useRingTone } from "./ring-tone";
import { fetchIceServers, isLive, useCallSession } from "./use-call-session";
import "./calls.css";

interface Ringing {
  call: Call;
  busy: boolean;
  /** Why it can no longer be answered here (a colleague took it), shown for a moment before it goes. */
  gone: string | null;
  /** Why answering did not start (the microphone), shown until the next try. */
  note?: string | null;
}

const goneAfterMs = 8000;

/** The microphone could not be opened: said in the toast, not as a lost call. */
class MicrophoneProblem extends Error {}

/**
 * The staff member's calls, over every console page: a toast (with a ring) for each call ringing for them, with
 * answer and decline, and the panel of the call they are on. Answering sends the audio offer (see CallPeer).
 * The pages inside may answer too (the call queue), through the CallControl it provides.
 */
export function StaffCallsProvider({ meId, children }: { meId: string; children: ReactNode }) {
  const session = useCallSession();
  const [ringing, setRinging] = useState<Ringing[]>([]);
  // On a call the customer's details and chat open beside its controls; the agent may fold them away.
  const [wide, setWide] = useState(true);
  const onCall = isLive(session.call);

  const patch = (id: string, change: Partial<Ringing> | null) =>
    setRinging((list) =>
      change === null
        ? list.filter((r) => r.call.id !== id)
        : list.map((r) => (r.call.id === id ? { ...r, ...change } : r)),
    );
  const goneLater = (id: string, why: string) => {
    patch(id, { gone: why, busy: false });
    setTimeout(() => patch(id, null), goneAfterMs);
  };

  useSocketEvent("call:incoming", ({ call }) =>
    setRinging((list) => [...list.filter((r) => r.call.id !== call.id), { call, busy: false, gone: null }]),
  );
  useSocketEvent("call:updated", ({ call }) => {
    if (!ringing.some((r) => r.call.id === call.id)) return;
    if (call.status === "active" && call.agent?.id !== meId)
      goneLater(call.id, "A colleague answered this call.");
    else if (!isLive(call)) goneLater(call.id, endedText(call.status, null));
    else if (call.status === "queued") patch(call.id, null);
  });

  useRingTone(!onCall && ringing.some((r) => !r.gone));

  const take = async (callId: string) => {
    const mic = await openMicrophone();
    if (typeof mic === "string") throw new MicrophoneProblem(micNote(mic));
    try {
      const ice = await fetchIceServers();
      const answered = await api.post<Call>(`/calls/${callId}/answer`);
      patch(callId, null);
      session.reset();
      setWide(true);
      session.begin(answered, mic, ice, true);
    } catch (err) {
      for (const track of mic.getTracks()) track.stop();
      throw err;
    }
  };
  const answer = async (call: Call) => {
    patch(call.id, { busy: true, note: null });
    try {
      await take(call.id);
    } catch (err) {
      if (err instanceof MicrophoneProblem) patch(call.id, { busy: false, note: err.message });
      else goneLater(call.id, isApiError(err, 409) ? err.message : errorMessage(err));
    }
  };
  const decline = async (call: Call) => {
    patch(call.id, { busy: true });
    await api.post(`/calls/${call.id}/decline`).catch(() => {});
    patch(call.id, null);
  };

  const ended = session.call && !onCall ? session.call : null;
  const panel = (call: Call) => (
    <CallPanel session={session} otherName={call.customer?.name ?? "Visitor"}>
      <RecordingControl session={session} />
    </CallPanel>
  );
  const control = { answer: take, current: onCall ? session.call : null };
  return (
    <CallControlContext.Provider value={control}>
      {children}
      <div className="call-dock" aria-live="polite">
        {ringing.map(({ call, busy, gone, note }) => (
          <div key={call.id} className="call-toast" data-testid="call-toast" data-call-id={call.id}>
            <strong>Incoming call</strong>
            <span data-testid="call-toast-customer">{call.customer?.name ?? "A visitor"}</span>
            {note && (
              <p className="call-error" role="alert" data-testid="call-mic-problem">
                {note}
              </p>
            )}
            {gone ? (
              <p className="muted" data-testid="call-taken">
                {gone}
              </p>
            ) : (
              <div className="call-actions">
                <Button
                  variant="primary"
                  data-testid="call-answer"
                  busy={busy}
                  disabled={onCall}
                  onClick={() => void answer(call)}
                >
                  Answer
                </Button>
                <Button data-testid="call-decline" disabled={busy} onClick={() => void decline(call)}>
                  Decline
                </Button>
              </div>
            )}
          </div>
        ))}
        {onCall && session.call && (
          <div className="call-toast call-live" data-wide={wide} data-testid="call-live">
            <div className="call-live-head">
              <strong>On a call</strong>
              <Button
                size="sm"
                variant="ghost"
                aria-expanded={wide}
                data-testid="call-workspace-toggle"
                onClick={() => setWide(!wide)}
              >
                {wide ? "Minimise" : "Customer and chat"}
              </Button>
            </div>
            {wide ? (
              <CallWorkspace call={session.call}>{panel(session.call)}</CallWorkspace>
            ) : (
              panel(session.call)
            )}
          </div>
        )}
        {ended && (
          <div className="call-toast" data-testid="call-ended" data-status={ended.status}>
            <p>{endedText(ended.status, ended.durationSeconds)}</p>
            <Button size="sm" data-testid="call-dismiss" onClick={session.reset}>
              Close
            </Button>
          </div>
        )}
      </div>
    </CallControlContext.Provider>
  );
}

function micNote(problem: string): string {
  return problem === "denied"
    ? "The browser blocked the microphone. Allow it for this site (the icon at the left of the address bar), then answer again."
    : "No usable microphone was found. Plug one in, then answer again.";
}
