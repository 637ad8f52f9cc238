import { useCallback, useEffect, useRef, useState } from "react";
import type { Call, CallStats, IceConfig, RelayedSignal } from "../../protocol/call";
import { api, errorMessage, uploadFile } from "../lib/api";
import { emitAck, useSocket, useSocketEvent } from "../lib/socket";
import { CallPeer } from "./call-peer";
import { CallRecorder, recordingFileName } from "./call-recorder";

/** Waiting or connected; the protocol's list is not imported so zod stays out of the bundle. */
const liveStatuses: ReadonlySet<string> = new Set(["queued", "ringing", "active"]);
export const isLive = (call: Call | null) => !!call && liveStatuses.has(call.status);

/**
 * The agent's recording of the call: telling the customer, recording, then saving (stopped by hand or at the
 * end of the call), or failed (with the reason in `recordingError`). Once saved, the call says so itself
 * (`recordingAvailable`).
 */
export type RecordingState = "off" | "telling" | "recording" | "saving" | "failed";

export interface CallSession {
  call: Call | null;
  /** The audio connection's own state once the call is answered. */
  link: RTCPeerConnectionState | null;
  position: number | null;
  muted: boolean;
  /** This browser's figures, refreshed every second while connected. */
  live: CallStats | null;
  error: string | null;
  recording: RecordingState;
  recordingError: string | null;
  /** Starts the audio for a call this browser is in; the agent's side offers. */
  begin(call: Call, mic: MediaStream, ice: IceConfig, offerer: boolean): void;
  toggleMute(): void;
  hangUp(): Promise<void>;
  /** The agent: tells the customer (the server records when), then records both sides mixed. */
  startRecording(): Promise<void>;
  /** Stops and uploads the recording; the end of the call does the same by itself. */
  stopRecording(): Promise<void>;
  reset(): void;
}

export const fetchIceServers = () =>
  api
    .get<IceConfig>("/calls/ice-servers")
    .then((r): IceConfig => ({ iceServers: r.iceServers, iceTransportPolicy: r.iceTransportPolicy }));

/**
 * A call seen from one browser. Hanging up is POST /calls/:id/end with this side's getStats() summary; the
 * other side learns it from `call:updated` and then reports its own figures the same way, so the score is made
 * from both and the call records who really hung up.
 */
export function useCallSession(): CallSession {
  const socket = useSocket();
  const [call, setCallState] = useState<Call | null>(null);
  const [link, setLink] = useState<RTCPeerConnectionState | null>(null);
  const [position, setPosition] = useState<number | null>(null);
  const [muted, setMuted] = useState(false);
  const [live, setLive] = useState<CallStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recording, setRecording] = useState<RecordingState>("off");
  const [recordingError, setRecordingError] = useState<string | null>(null);
  const recorderRef = useRef<CallRecorder | null>(null);
  const callRef = useRef<Call | null>(null);
  const peerRef = useRef<CallPeer | null>(null);
  const finished = useRef(false);
  // Signals that come before this browser's connection exists are replayed in order when it does.
  const early = useRef<RelayedSignal[]>([]);

  const setCall = useCallback((next: Call | null) => {
    callRef.current = next;
    setCallState(next);
    if (next && next.position !== undefined) setPosition(next.position ?? null);
  }, []);

  /**
   * Stops the recorder and uploads what it has. The upload may come after the call ended (the server allows a
   * grace period), so a call screen that was closed meanwhile still gets its recording saved.
   */
  const saveRecording = useCallback(
    async (callId: string) => {
      const recorder = recorderRef.current;
      if (!recorder) return;
      recorderRef.current = null;
      const shown = () => callRef.current?.id === callId;
      setRecording("saving");
      try {
        const audio = await recorder.stop();
        const saved = await uploadFile<Call>(
          `/calls/${callId}/recording`,
          new File([audio], recordingFileName(callId, audio.type), { type: audio.type }),
        );
        if (!shown()) return;
        setCall(saved);
        setRecording("off");
      } catch (err) {
        if (!shown()) return;
        setRecording("failed");
        setRecordingError(errorMessage(err));
      }
    },
    [setCall],
  );

  const finish = useCallback(
    async (report: boolean) => {
      const current = callRef.current;
      if (finished.current || !current) return;
      finished.current = true;
      const peer = peerRef.current;
      peerRef.current = null;
      // The recorder stops first, while both voices still flow into it.
      const saved = saveRecording(current.id);
      const stats = peer ? await peer.stats().catch(() => undefined) : undefined;
      peer?.close();
      if (report || peer) {
        try {
          const ended = await api.post<Call>(`/calls/${current.id}/end`, stats ? { stats } : {});
          if (callRef.current?.id === current.id) setCall(ended);
        } catch (err) {
          setError(errorMessage(err));
        }
      }
      await saved;
    },
    [setCall, saveRecording],
  );

  const begin = useCallback<CallSession["begin"]>(
    (c, mic, ice, offerer) => {
      finished.current = false;
      setCall(c);
      setError(null);
      const peer = new CallPeer(
        c.id,
        mic,
        ice,
        (signal) => {
          if (socket) void emitAck(socket, "call:signal", signal);
        },
        setLink,
      );
      peerRef.current = peer;
      const run = async () => {
        if (offerer) await peer.offer();
        for (const signal of early.current.splice(0)) if (signal.callId === c.id) await peer.receive(signal);
      };
      run().catch((err) => setError(errorMessage(err)));
    },
    [socket, setCall],
  );

  useSocketEvent("call:updated", ({ call: next }) => {
    if (next.id !== callRef.current?.id) return;
    setCall(next);
    // The other side hung up (or the call ended otherwise): report this side's figures too.
    if (!liveStatuses.has(next.status)) void finish(false);
  });
  useSocketEvent("call:signal", (signal) => {
    if (signal.callId !== callRef.current?.id) return;
    if (signal.type === "hangup") return void finish(true);
    const peer = peerRef.current;
    if (!peer) early.current.push(signal);
    else peer.receive(signal).catch((err) => setError(errorMessage(err)));
  });
  useSocketEvent("queue:position", (p) => {
    if ("callId" in p && p.callId === callRef.current?.id) setPosition(p.position);
  });

  useEffect(() => {
    if (link !== "connected") return;
    const timer = setInterval(() => {
      peerRef.current
        ?.stats()
        .then(setLive)
        .catch(() => {});
    }, 1000);
    return () => clearInterval(timer);
  }, [link]);

  // Leaving the page ends a call still going on.
  useEffect(
    () => () => {
      if (isLive(callRef.current)) void finish(true);
    },
    [finish],
  );

  return {
    call,
    link,
    position,
    muted,
    live,
    error,
    begin,
    toggleMute() {
      peerRef.current?.setMuted(!muted);
      setMuted(!muted);
    },
    recording,
    recordingError,
    hangUp: () => finish(true),
    async startRecording() {
      const current = callRef.current;
      const peer = peerRef.current;
      if (!current || !peer || recorderRef.current) return;
      setRecording("telling");
      setRecordingError(null);
      try {
        setCall(await api.post<Call>(`/calls/${current.id}/recording/notice`));
        // The call may have ended while the customer was being told.
        if (peerRef.current !== peer) return setRecording("off");
        recorderRef.current = new CallRecorder(peer.streams());
        setRecording("recording");
      } catch (err) {
        setRecording("failed");
        setRecordingError(errorMessage(err));
      }
    },
    stopRecording: async () => {
      if (callRef.current) await saveRecording(callRef.current.id);
    },
    reset() {
      peerRef.current?.close();
      peerRef.current = null;
      early.current = [];
      setCall(null);
      setLink(null);
      setLive(null);
      setMuted(false);
      setPosition(null);
      // A recording still being saved finishes on its own; a new call starts with none.
      setRecording("off");
      setRecordingError(null);
    },
  };
}
