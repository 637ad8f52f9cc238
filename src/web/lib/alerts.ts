/** Sound and browser notifications for messages that arrive while nobody is looking at the tab. */
import { useCallback, useState } from "react";

let audio: AudioContext | null = null;

/**
 * Browsers only let an AudioContext play after a user gesture on the page; creating it on the first click or
 * key press means the beep works later even when it fires from a socket event.
 */
function unlockAudio(): void {
  if (typeof AudioContext === "undefined") return;
  audio ??= new AudioContext();
  if (audio.state === "suspended") void audio.resume().catch(() => {});
}
if (typeof window !== "undefined") {
  window.addEventListener("pointerdown", unlockAudio, { once: true, capture: true });
  window.addEventListener("keydown", unlockAudio, { once: true, capture: true });
}

/** A short two-tone chime made on the spot: no audio file to fetch, cache or license. */
export function beep(): void {
  if (audio?.state !== "running") return;
  const start = audio.currentTime;
  const gain = audio.createGain();
  gain.connect(audio.destination);
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
  for (const [freq, at] of [
    [880, 0],
    [1320, 0.12],
  ] as const) {
    const osc = audio.createOscillator();
    osc.type = "sine";
    osc.frequency.value = freq;
    osc.connect(gain);
    osc.start(start + at);
    osc.stop(start + at + 0.16);
  }
}

export type NotifyPermission = NotificationPermission | "unsupported";

function currentPermission(): NotifyPermission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** The permission, and a function to ask for it: browsers only allow the question from a user's click. */
export function useNotificationPermission(): { permission: NotifyPermission; ask: () => void } {
  const [permission, setPermission] = useState<NotifyPermission>(currentPermission);
  const ask = useCallback(() => {
    if (typeof Notification === "undefined") return;
    void Notification.requestPermission().then(setPermission, () => setPermission(currentPermission()));
  }, []);
  return { permission, ask };
}

/** Beeps and, where allowed, shows a system notification; clicking it brings the tab back and opens `link`. */
export function alertHidden(title: string, body: string, open?: () => void): void {
  if (document.visibilityState !== "hidden") return;
  beep();
  if (currentPermission() !== "granted") return;
  try {
    // One notification per conversation: a burst of messages replaces rather than stacks.
    const n = new Notification(title, { body: body.slice(0, 200), tag: title });
    n.onclick = () => {
      window.focus();
      open?.();
      n.close();
    };
  } catch {
    // Some browsers (Android Chrome) only allow notifications from a service worker; the beep still played.
  }
}
