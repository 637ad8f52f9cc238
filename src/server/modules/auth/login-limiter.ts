import { SlidingWindow } from "../../lib/sliding-window";

/**
 * Counts failed sign-ins per IP and per account in a sliding window. Past the limit, sign-in answers 429 with the
 * seconds until the oldest failure leaves the window, even for the right password, so guessing cannot go on.
 */
export class LoginLimiter {
  private readonly failures: SlidingWindow;

  constructor(
    private readonly limits = { perAccount: 5, perIp: 30, windowMs: 15 * 60_000 },
    now = () => Date.now(),
  ) {
    this.failures = new SlidingWindow(limits.windowMs, now);
  }

  /** Seconds to wait, or 0 when the attempt may go ahead. */
  retryAfter(ip: string, account: string): number {
    return Math.max(
      this.failures.wait(`ip:${ip}`, this.limits.perIp),
      this.failures.wait(`account:${account.toLowerCase()}`, this.limits.perAccount),
    );
  }

  fail(ip: string, account: string): void {
    this.failures.hit(`ip:${ip}`);
    this.failures.hit(`account:${account.toLowerCase()}`);
  }

  succeed(account: string): void {
    this.failures.forget(`account:${account.toLowerCase()}`);
  }
}
