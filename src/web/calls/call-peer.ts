import type { CallSignal, CallStats, IceConfig, RelayedSignal } from "../../protocol/call";
import { summariseStats } from "./call-stats";

export type SendSignal = (signal: CallSignal) => void;

/**
 * One side of a call's audio: an RTCPeerConnection carrying the microphone one way and the other party's voice
 * back. Who offers: the agent, once their answer is accepted — the customer's browser is ready before anyone
 * answers, so an offer can never reach a side that is not listening yet, and only one side ever offers (no glare).
 * ICE candidates trickle over `call:signal`; those that arrive before the offer or answer wait for it.
 */
export class CallPeer {
  private readonly pc: RTCPeerConnection;
  private readonly early: RTCIceCandidateInit[] = [];
  private readonly audio = new Audio();
  private remote: MediaStream | null = null;
  private closed = false;

  constructor(
    private readonly callId: string,
    private readonly mic: MediaStream,
    ice: IceConfig,
    private readonly send: SendSignal,
    onState: (state: RTCPeerConnectionState) => void,
  ) {
    this.pc = new RTCPeerConnection(ice);
    for (const track of mic.getAudioTracks()) this.pc.addTrack(track, mic);
    this.audio.autoplay = true;
    this.pc.ontrack = (event) => {
      this.remote = event.streams[0] ?? new MediaStream([event.track]);
      this.audio.srcObject = this.remote;
      // Playback may wait for a click on some browsers; the audio still flows and is counted.
      this.audio.play().catch(() => {});
    };
    this.pc.onicecandidate = ({ candidate: c }) =>
      this.send({
        callId,
        type: "ice",
        // Only the fields the server relays; null marks the end of candidates.
        payload: c
          ? {
              candidate: c.candidate,
              sdpMid: c.sdpMid,
              sdpMLineIndex: c.sdpMLineIndex,
              usernameFragment: c.usernameFragment,
            }
          : null,
      });
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);
  }

  /** The agent's side: the offer that starts the audio. */
  async offer(): Promise<void> {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    this.send({ callId: this.callId, type: "offer", payload: { type: "offer", sdp: offer.sdp ?? "" } });
  }

  /** A signal from the other party; a hang-up is the caller's business, not the connection's. */
  async receive(signal: RelayedSignal): Promise<void> {
    if (this.closed) return;
    if (signal.type === "offer") {
      await this.pc.setRemoteDescription(signal.payload);
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      this.send({ callId: this.callId, type: "answer", payload: { type: "answer", sdp: answer.sdp ?? "" } });
      await this.flushEarly();
    } else if (signal.type === "answer") {
      await this.pc.setRemoteDescription(signal.payload);
      await this.flushEarly();
    } else if (signal.type === "ice") {
      const candidate = signal.payload ?? undefined;
      if (this.pc.remoteDescription) await this.pc.addIceCandidate(candidate);
      else if (candidate) this.early.push(candidate);
    }
  }

  private async flushEarly() {
    for (const candidate of this.early.splice(0)) await this.pc.addIceCandidate(candidate);
  }

  setMuted(muted: boolean): void {
    for (const track of this.mic.getAudioTracks()) track.enabled = !muted;
  }

  /** What is heard on the call: this side's microphone and, once it arrives, the other party's voice. */
  streams(): MediaStream[] {
    return this.remote ? [this.mic, this.remote] : [this.mic];
  }

  async stats(): Promise<CallStats> {
    return summariseStats(await this.pc.getStats());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.close();
    this.audio.srcObject = null;
    for (const track of this.mic.getTracks()) track.stop();
  }
}

/** Why the microphone could not be used, in the words the screen shows. */
export type MicProblem = "denied" | "missing" | "unavailable";

export async function openMicrophone(): Promise<MediaStream | MicProblem> {
  if (!navigator.mediaDevices?.getUserMedia) return "unavailable";
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (err) {
    const name = err instanceof DOMException ? err.name : "";
    if (name === "NotAllowedError" || name === "SecurityError") return "denied";
    if (name === "NotFoundError" || name === "OverconstrainedError") return "missing";
    return "unavailable";
  }
}
