/** Opus at 32 kbit/s: speech stays clear and an hour is about 14 MB, well inside the tenant's upload limit. */
export const recordingBitsPerSecond = 32_000;

/** What this browser can record, best first; the server checks the bytes and accepts all of these. */
const containers = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];

export const canRecordCalls = (): boolean =>
  typeof MediaRecorder !== "undefined" && typeof AudioContext !== "undefined";

/**
 * Both sides of a call mixed into one track and recorded in the agent's browser (the audio never passes through
 * the server while the call goes on). The microphone and the other party's stream each feed a Web Audio source
 * into one destination, whose track the MediaRecorder encodes; chunks are kept every second, so stopping loses at
 * most the last one. A muted microphone records as silence, as the customer heard it.
 */
export class CallRecorder {
  private readonly context = new AudioContext();
  private readonly recorder: MediaRecorder;
  private readonly chunks: Blob[] = [];
  private readonly file: Promise<Blob>;

  constructor(streams: MediaStream[]) {
    const mix = this.context.createMediaStreamDestination();
    for (const stream of streams)
      if (stream.getAudioTracks().length) this.context.createMediaStreamSource(stream).connect(mix);
    const mimeType = containers.find((type) => MediaRecorder.isTypeSupported(type));
    this.recorder = new MediaRecorder(mix.stream, {
      ...(mimeType ? { mimeType } : {}),
      audioBitsPerSecond: recordingBitsPerSecond,
    });
    this.file = new Promise((resolve, reject) => {
      this.recorder.ondataavailable = (event) => {
        if (event.data.size) this.chunks.push(event.data);
      };
      this.recorder.onstop = () => resolve(new Blob(this.chunks, { type: this.recorder.mimeType }));
      this.recorder.onerror = () => reject(new Error("The browser stopped recording this call."));
    });
    this.recorder.start(1000);
  }

  /** Stops (once) and gives the recording: call it before the call's streams stop, so the end is kept. */
  stop(): Promise<Blob> {
    if (this.recorder.state !== "inactive") this.recorder.stop();
    return this.file.finally(() => {
      if (this.context.state !== "closed") void this.context.close();
    });
  }
}

/** The file name the recording is uploaded under, with the extension its container has. */
export function recordingFileName(callId: string, type: string): string {
  const ext = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm";
  return `call-${callId}.${ext}`;
}
