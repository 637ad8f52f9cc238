import { useEffect } from "react";

/**
 * A phone-like ring made on the spot (two short 440/480 Hz bursts every three seconds), so no sound file ships.
 * Browsers keep audio silent until the page has been clicked; then it plays.
 */
export function useRingTone(ringing: boolean): void {
  useEffect(() => {
    if (!ringing || typeof AudioContext === "undefined") return;
    const ctx = new AudioContext();
    const burst = (at: number) => {
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
      gain.gain.setValueAtTime(0.15, at + 0.38);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.4);
      gain.connect(ctx.destination);
      for (const hz of [440, 480]) {
        const tone = ctx.createOscillator();
        tone.frequency.value = hz;
        tone.connect(gain);
        tone.start(at);
        tone.stop(at + 0.4);
      }
    };
    const ring = () => {
      burst(ctx.currentTime + 0.05);
      burst(ctx.currentTime + 0.65);
    };
    ring();
    const timer = setInterval(ring, 3000);
    return () => {
      clearInterval(timer);
      void ctx.close();
    };
  }, [ringing]);
}
