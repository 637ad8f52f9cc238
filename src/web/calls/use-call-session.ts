import { useCallback, useEffect, useRef, useState } from "react";
import type { Call, CallStats, IceConfig, RelayedSignal } from "../../protocol/call";
import { api, errorMessage } from "../lib/api";
import { emitAck, useSocket, useSocketEvent } from "../lib/socket";
import { CallPeer } from "./call-peer";

/** Waiting or connected; the protocol's list is not imported so zod stays out of the bundle. */
const liveStatuses: ReadonlySet<string> = new Set(["queued", "ringing", "active"]);
export const isLive = (call: Call | null) => !!call && liveStatuses.has(call.status);

export interface CallSession {
  call: Call | null;
  /** The audio connection's own state once the call is answered. */
  link: RTCPeerConnectionState | null;
  position: number | null;
  muted: boolean;
  /** This browser's figures, refreshed every second while connected. */
  live: CallStats | null;
  error: string | null;
  /** Starts the audio for a call this browser is in; the agent's side offers. */
  begin(call: Call, mic: MediaStream, ice: IceConfig, offerer: boolean): void;
  toggleMute(): void;
  hangUp(): Promise<void>;
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

  const finish = useCallback(
    async (report: boolean) => {
      const current = callRef.current;
      if (finished.current || !current) return;
      finished.current = true;
      const peer = peerRef.current;
      peerRef.current = null;
      const stats = peer ? await peer.stats().catch(() => undefined) : undefined;
      peer?.close();
      if (!report && !peer) return;
      try {
        setCall(await api.post<Call>(`/calls/${current.id}/end`, stats ? { stats } : {}));
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [setCall],
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
    hangUp: () => finish(true),
    reset() {
      peerRef.current?.close();
      peerRef.current = null;
      early.current = [];
      setCall(null);
      setLink(null);
      setLive(null);
      setMuted(false);
      setPosition(null);
    },
  };
}
