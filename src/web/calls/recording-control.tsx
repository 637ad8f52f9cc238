import { Button } from "../ui";
import { canRecordCalls } from "./call-recorder";
import type { CallSession } from "./use-call-session";

const stateText = {
  off: "",
  telling: "Telling the customer…",
  recording: "Recording",
  saving: "Saving the recording…",
  failed: "",
} as const;

/**
 * The agent's recording switch, where the tenant records calls. Starting tells the customer first (their screen
 * says so before anything is recorded); stopping, or the end of the call, uploads the recording. One per call.
 */
export function RecordingControl({ session }: { session: CallSession }) {
  const { recording, recordingError, call } = session;
  if (!call?.recordingEnabled) return null;
  if (!canRecordCalls())
    return <p className="muted">This browser cannot record calls; use a current Chrome, Edge or Firefox.</p>;
  const done = call.recordingAvailable;
  return (
    <div className="call-recording" data-testid="call-recording" data-state={done ? "saved" : recording}>
      {recording === "recording" && <span className="call-recording-dot" aria-hidden />}
      <span>{done ? "Recording saved." : stateText[recording]}</span>
      {(recording === "off" || recording === "failed") && !done && (
        // Both voices must be flowing, or the recording would hold only one side.
        <Button
          size="sm"
          data-testid="call-record"
          disabled={session.link !== "connected"}
          onClick={() => void session.startRecording()}
        >
          {recording === "failed" ? "Try recording again" : "Record call"}
        </Button>
      )}
      {recording === "recording" && (
        <Button size="sm" data-testid="call-record-stop" onClick={() => void session.stopRecording()}>
          Stop recording
        </Button>
      )}
      {recordingError && (
        <p className="call-error" role="alert" data-testid="call-recording-error">
          {recordingError}
        </p>
      )}
    </div>
  );
}
