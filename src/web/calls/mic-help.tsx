import type { MicProblem } from "./call-peer";

/** What to do when the microphone cannot be used: the browser asked and was told no, or there is none. */
export function MicHelp({ problem }: { problem: MicProblem }) {
  if (problem === "denied")
    return (
      <div className="call-mic-help" role="alert" data-testid="call-mic-denied">
        <strong>Your browser blocked the microphone.</strong>
        <p>
          To call us, allow it: click the camera or lock icon at the left of the address bar, set Microphone
          to "Allow", then press "Call us" again. If the browser never asks, check your system's privacy
          settings for microphone access. You can also start a chat instead.
        </p>
      </div>
    );
  return (
    <div className="call-mic-help" role="alert" data-testid="call-mic-missing">
      <strong>{problem === "missing" ? "No microphone was found." : "Calls are not available here."}</strong>
      <p>
        {problem === "missing"
          ? 'Plug in a headset or microphone, then press "Call us" again.'
          : "This browser cannot make calls from this page. Try an up-to-date Chrome, Firefox, Edge or Safari."}
      </p>
    </div>
  );
}
