import { AppError } from '../errors.js';

/**
 * Password-guessing throttle for sign-in and for the re-authentication that guards key exports.
 *
 * An attempt is reserved synchronously BEFORE the slow password hash runs, and an attempt still in
 * flight counts as a failure: a burst of parallel guesses cannot all slip in while the first ones are
 * being hashed. Past the free attempts, a bucket lets one attempt through at a time, after a back-off.
 *
 * Three buckets per attempt:
 * - the client address (any user name): one address guessing many accounts;
 * - the address and user name together: the usual guesser, backed off up to 15 minutes;
 * - the user name from any address: guessing spread over many addresses. It only slows (at most a
 *   minute between attempts) and never applies to an address the user signed in from before, so an
 *   attacker hammering `admin` cannot lock the real admin out.
 */

export interface KnownAddresses {
  isKnown(username: string, ip: string): boolean;
  remember(userId: number, ip: string): void;
}

interface Rule {
  /** Failures allowed before any back-off. */
  free: number;
  maxDelayMs: number;
}

export const THROTTLE_RULES = {
  address: { free: 20, maxDelayMs: 15 * 60_000 },
  addressAndUser: { free: 5, maxDelayMs: 15 * 60_000 },
  user: { free: 10, maxDelayMs: 60_000 },
} satisfies Record<string, Rule>;

/** Failures are forgotten this long after the last one. */
const FORGET_MS = 15 * 60_000;
const PRUNE_ABOVE = 10_000;
const HARD_CAP = 50_000;

interface Bucket {
  failures: number;
  inFlight: number;
  blockedUntil: number;
  lastFailure: number;
}

export interface Attempt {
  /** The password was right; at sign-in the address becomes known for this user. */
  succeeded(userId: number | null): void;
  failed(): void;
  /** Ends the reservation without counting it (an unexpected error); a no-op after succeeded/failed. */
  release(): void;
}

/** Separate counts: guessing the setup token or a re-authentication does not slow the sign-in page. */
export type AttemptKind = 'login' | 'reauth' | 'setup';

export class SignInThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly known: KnownAddresses,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Reserves an attempt or throws 429 RATE_LIMITED (with retryAfterSeconds). Synchronous on purpose. */
  begin(kind: AttemptKind, ip: string, username: string): Attempt {
    const now = this.clock();
    const user = username.toLowerCase().slice(0, 200);
    const keys: [string, Rule][] = [
      [`${kind}|ip|${ip}`, THROTTLE_RULES.address],
      [`${kind}|ip-user|${ip}|${user}`, THROTTLE_RULES.addressAndUser],
    ];
    if (!this.known.isKnown(username, ip)) keys.push([`${kind}|user|${user}`, THROTTLE_RULES.user]);

    let waitMs = 0;
    for (const [key, rule] of keys) waitMs = Math.max(waitMs, this.refusal(this.bucket(key, now), rule, now));
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new AppError(
        'RATE_LIMITED',
        `Too many wrong passwords. Try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}.`,
        { retryAfterSeconds },
      );
    }
    const held = keys.map(([key, rule]) => ({ key, rule, bucket: this.bucket(key, now) }));
    for (const h of held) h.bucket.inFlight += 1;

    let open = true;
    const end = () => {
      if (!open) return false;
      open = false;
      for (const h of held) h.bucket.inFlight -= 1;
      return true;
    };
    return {
      succeeded: (userId) => {
        if (!end()) return;
        // The user-wide and address-wide buckets keep their count: one success must not hand an
        // attacker a fresh set of free attempts.
        this.buckets.delete(`${kind}|ip-user|${ip}|${user}`);
        if (kind === 'login' && userId !== null) this.known.remember(userId, ip);
      },
      failed: () => {
        if (!end()) return;
        const at = this.clock();
        for (const { bucket, rule } of held) {
          bucket.failures += 1;
          bucket.lastFailure = at;
          const over = bucket.failures - rule.free;
          if (over >= 0) bucket.blockedUntil = at + Math.min(1000 * 2 ** over, rule.maxDelayMs);
        }
        if (this.buckets.size > PRUNE_ABOVE) this.prune(at);
      },
      release: () => {
        end();
      },
    };
  }

  /** How long this bucket refuses a new attempt (0: allowed). */
  private refusal(b: Bucket, rule: Rule, now: number): number {
    if (b.failures + b.inFlight < rule.free) return 0;
    // Past the free attempts: one at a time, and only once the back-off has passed.
    if (b.inFlight > 0) return Math.max(1000, b.blockedUntil - now);
    return Math.max(0, b.blockedUntil - now);
  }

  private bucket(key: string, now: number): Bucket {
    let b = this.buckets.get(key);
    if (b && b.inFlight === 0 && b.blockedUntil <= now && now - b.lastFailure > FORGET_MS) {
      this.buckets.delete(key);
      b = undefined;
    }
    if (!b) {
      b = { failures: 0, inFlight: 0, blockedUntil: 0, lastFailure: now };
      this.buckets.set(key, b);
    }
    return b;
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.inFlight === 0 && b.blockedUntil <= now && now - b.lastFailure > FORGET_MS)
        this.buckets.delete(key);
    }
    // Guesses from a huge pool of addresses: drop the oldest idle address buckets; the user-wide
    // bucket (one per name) still holds the line.
    for (const [key, b] of this.buckets) {
      if (this.buckets.size <= HARD_CAP) break;
      if (b.inFlight === 0 && !/^\w+\|user\|/.test(key)) this.buckets.delete(key);
    }
  }
}
