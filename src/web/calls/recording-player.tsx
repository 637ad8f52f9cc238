import { useEffect, useRef, useState } from "react";
import { apiUrl, errorMessage, fetchBlob } from "../lib/api";

/** Far past the end of any recording: seeking there makes the browser read the whole file and learn its length. */
const pastTheEnd = 1e101;

/**
 * A call's recording, for staff allowed to hear it. The file is fetched with this page's credentials and played
 * from a blob URL (released when the player goes). MediaRecorder's WebM files say nothing of their length in
 * their header, so the browser reports an endless duration and the seek bar does not work: seeking far past the
 * end once makes it read the file through and correct the duration, then the player goes back to the start.
 * The duration in seconds is on `data-duration` once known.
 */
export function RecordingPlayer({ callId, label }: { callId: string; label?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [duration, setDuration] = useState<number | null>(null);
  /** Seeking past the end to learn the duration: the next known duration ends it. */
  const fixing = useRef(false);

  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    setSrc(null);
    setError(null);
    setDuration(null);
    fetchBlob(apiUrl(`/calls/${callId}/recording`)).then(
      (blob) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [callId]);

  if (error)
    return (
      <span className="recording-error" role="alert" data-testid="recording-error">
        The recording cannot be played. {error}
      </span>
    );
  if (!src)
    return (
      <span className="muted" data-testid="recording-loading">
        Loading the recording…
      </span>
    );
  return (
    // biome-ignore lint/a11y/useMediaCaption: a recorded phone call has no captions to offer
    <audio
      className="recording-player"
      controls
      preload="metadata"
      src={src}
      aria-label={label ?? "Call recording"}
      data-testid="recording-player"
      onLoadedMetadata={(e) => {
        const el = e.currentTarget;
        if (Number.isFinite(el.duration)) return setDuration(el.duration);
        fixing.current = true;
        el.currentTime = pastTheEnd;
      }}
      onError={() => setError("This browser cannot decode it.")}
      onDurationChange={(e) => {
        const el = e.currentTarget;
        if (!Number.isFinite(el.duration)) return;
        if (fixing.current) {
          fixing.current = false;
          el.currentTime = 0;
        }
        setDuration(el.duration);
      }}
      data-duration={duration === null ? undefined : Math.round(duration * 100) / 100}
    />
  );
}
