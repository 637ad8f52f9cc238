import { z } from "zod";
import type { CallStatus } from "./enums";

/** A call's two people as the call shows them. */
export interface CallParty {
  id: string;
  name: string;
  email: string | null;
}

/** A browser voice call: queue and answer times, who took part, how it ended and how it sounded. */
export interface Call {
  id: string;
  status: CallStatus;
  customer: CallParty | null;
  agent: CallParty | null;
  conversationId: string | null;
  queuedAt: string;
  ringingAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  /** From answer to end, whole seconds; null until an answered call ends. */
  durationSeconds: number | null;
  /** Estimated mean opinion score, 1–5, from the worse of the two sides' reports. */
  quality: number | null;
  poorQuality: boolean;
  endReason: string | null;
  endedBy: string | null;
  /** The tenant records calls: the agent may tell the customer, then record. */
  recordingEnabled: boolean;
  /** When the customer was told the call is recorded; recording may start only after. */
  recordingNoticeAt: string | null;
  recordingAvailable: boolean;
  /** A waiting call's place in the call queue (GET /calls/:id and POST /calls). */
  position?: number | null;
}

/** Statuses in which a call is still going on (waiting or connected). */
export const liveCallStatuses = ["queued", "ringing", "active"] as const satisfies readonly CallStatus[];
/** Statuses in which a call waits for someone to answer. */
export const waitingCallStatuses = ["queued", "ringing"] as const satisfies readonly CallStatus[];

/** One browser's getStats() summary at hang-up; bounds keep absurd reports from skewing the score. */
export const callStatsSchema = z.strictObject({
  rttMs: z.number().min(0).max(60_000),
  jitterMs: z.number().min(0).max(10_000),
  packetLossPct: z.number().min(0).max(100),
  bytesSent: z.number().int().min(0).max(1e13),
  bytesReceived: z.number().int().min(0).max(1e13),
});
export type CallStats = z.infer<typeof callStatsSchema>;

/** An SDP description may be up to 16 KB, an ICE candidate up to 2 KB: more is refused and not relayed. */
export const maxSdpBytes = 16 * 1024;
export const maxCandidateBytes = 2 * 1024;

const sdp = z.strictObject({
  type: z.enum(["offer", "answer"]),
  sdp: z.string().min(1).max(maxSdpBytes, `must be at most ${maxSdpBytes} characters`),
});
const candidate = z
  .strictObject({
    candidate: z.string().max(maxCandidateBytes, `must be at most ${maxCandidateBytes} characters`),
    sdpMid: z.string().max(64).nullish(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullish(),
    usernameFragment: z.string().max(256).nullish(),
  })
  // null: the end of candidates.
  .nullable();

/** `call:signal` from a browser: relayed to the other party of an active call. */
export const callSignalSchema = z.discriminatedUnion("type", [
  z.strictObject({ callId: z.uuid(), type: z.literal("offer"), payload: sdp }),
  z.strictObject({ callId: z.uuid(), type: z.literal("answer"), payload: sdp }),
  z.strictObject({ callId: z.uuid(), type: z.literal("ice"), payload: candidate }),
  z.strictObject({
    callId: z.uuid(),
    type: z.literal("hangup"),
    payload: z.strictObject({ reason: z.string().max(200).optional() }).optional(),
  }),
]);
export type CallSignal = z.infer<typeof callSignalSchema>;

/** What the other party receives. */
export type RelayedSignal = CallSignal & { from: string };

/** A waiting call in the staff's call queue. */
export interface QueuedCall {
  callId: string;
  position: number;
  waitingSeconds: number;
  status: CallStatus;
  customer: CallParty | null;
  conversationId: string | null;
  queuedAt: string;
}

/** The waiting customer's place in the call queue. */
export interface CallQueuePosition {
  callId: string;
  position: number;
  waitingSeconds: number;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** GET /calls/ice-servers: what a browser's RTCPeerConnection is configured with. */
export interface IceConfig {
  iceServers: IceServer[];
  /** "relay" (TURN_RELAY_ONLY) keeps each side's own addresses from the other: audio goes through TURN only. */
  iceTransportPolicy: "all" | "relay";
}
