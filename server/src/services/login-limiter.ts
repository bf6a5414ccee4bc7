import { AppError } from '../errors.js';

/** Failed sign-ins per client address and per user name, with exponential back-off after a few. */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; lockedUntil: number; last: number }>();
  private static readonly FREE_ATTEMPTS = 5;
  private static readonly MAX_LOCK_MS = 15 * 60 * 1000;

  check(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && f.lockedUntil > now) {
        const retryAfterSeconds = Math.ceil((f.lockedUntil - now) / 1000);
        throw new AppError(
          'RATE_LIMITED',
          `Too many failed sign-ins. Try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}.`,
          { retryAfterSeconds },
        );
      }
    }
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const f = this.failures.get(key) ?? { count: 0, lockedUntil: 0, last: now };
      if (now - f.last > LoginLimiter.MAX_LOCK_MS) f.count = 0;
      f.count += 1;
      f.last = now;
      const over = f.count - LoginLimiter.FREE_ATTEMPTS;
      if (over >= 0) f.lockedUntil = now + Math.min(1000 * 2 ** over, LoginLimiter.MAX_LOCK_MS);
      this.failures.set(key, f);
    }
    if (this.failures.size > 10_000) this.prune(now);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [key, f] of this.failures) {
      if (f.lockedUntil < now && now - f.last > LoginLimiter.MAX_LOCK_MS) this.failures.delete(key);
    }
  }
}
