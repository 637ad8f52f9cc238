/**
 * Counts failed sign-ins per IP and per account in a sliding window. Past the limit, sign-in answers 429 with the
 * seconds until the oldest failure leaves the window, even for the right password, so guessing cannot go on.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits = { perAccount: 5, perIp: 30, windowMs: 15 * 60_000 },
    private readonly now = () => Date.now(),
  ) {}

  /** Seconds to wait, or 0 when the attempt may go ahead. */
  retryAfter(ip: string, account: string): number {
    return Math.max(
      this.wait(`ip:${ip}`, this.limits.perIp),
      this.wait(`account:${account.toLowerCase()}`, this.limits.perAccount),
    );
  }

  fail(ip: string, account: string): void {
    for (const key of [`ip:${ip}`, `account:${account.toLowerCase()}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
  }

  succeed(account: string): void {
    this.failures.delete(`account:${account.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  private wait(key: string, limit: number): number {
    const list = this.recent(key);
    if (list.length < limit) return 0;
    const oldest = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - this.now()) / 1000));
  }
}
