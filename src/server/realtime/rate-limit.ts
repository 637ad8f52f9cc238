/** A token bucket per socket: short bursts are fine, a flood is refused (and, if it goes on, disconnected). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Refusals in a row: a client that keeps sending into a full bucket is flooding. */
  refusals = 0;

  constructor(
    private readonly capacity = 40,
    private readonly perSecond = 20,
    private readonly now = () => Date.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusals = 0;
      return true;
    }
    this.refusals++;
    return false;
  }

  /** How long until the next event would be accepted, for a refused client to wait before retrying. */
  retryAfterMs(): number {
    return Math.max(0, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
  }
}
