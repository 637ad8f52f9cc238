/**
 * Counts events per key in a sliding window. Past the limit, `wait` gives the seconds until the oldest event
 * leaves the window, for a 429's Retry-After.
 */
export class SlidingWindow {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly now = () => Date.now(),
  ) {}

  /** Seconds to wait before another event under `key` is allowed, or 0. */
  wait(key: string, limit: number): number {
    const list = this.recent(key);
    if (list.length < limit) return 0;
    const oldest = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000));
  }

  hit(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.events.set(key, list);
  }

  forget(key: string): void {
    this.events.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.events.set(key, list);
    else this.events.delete(key);
    return list;
  }
}

/** At most `limit` events per address in the window: for anonymous endpoints. */
export class PerAddressLimit {
  private readonly window: SlidingWindow;

  constructor(
    private readonly limit: number,
    windowMs: number,
    now?: () => number,
  ) {
    this.window = new SlidingWindow(windowMs, now);
  }

  /** Seconds to wait, or 0 when the request may go ahead. */
  retryAfter(ip: string): number {
    return this.window.wait(ip, this.limit);
  }

  count(ip: string): void {
    this.window.hit(ip);
  }
}
