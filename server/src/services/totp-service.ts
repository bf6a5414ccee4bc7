import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { RecoveryCodes, TotpSetup, TotpStatus } from '@certdesk/shared';
import type * as Otplib from 'otplib';
import type QRCodeLib from 'qrcode';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { KvStore } from '../store/kv.js';
import type { TotpStore } from '../store/totp.js';
import type { RequestUser, SecondFactor } from './auth-service.js';
import type { Attempt, SignInThrottle } from './throttle.js';

const require = createRequire(import.meta.url);
let otplibLoaded: typeof Otplib | undefined;
let qrcodeLoaded: typeof QRCodeLib | undefined;
/** Loaded when two-factor sign-in is first set up or checked, not at every start. */
function otplib(): typeof Otplib {
  otplibLoaded ??= require('otplib') as typeof Otplib;
  return otplibLoaded;
}
function qrcode(): typeof QRCodeLib {
  qrcodeLoaded ??= require('qrcode') as typeof QRCodeLib;
  return qrcodeLoaded;
}

/** RFC 6238 as every authenticator app reads it: HMAC-SHA1, 30 s steps, 6 digits. */
export const TOTP_PERIOD_S = 30;
/** Steps accepted either side of now: a phone a little fast or slow, a code typed as it turns over. */
const WINDOW_STEPS = 1;
const ISSUER = 'certdesk';
const RECOVERY_CODE_COUNT = 10;
const REQUIRE_KEY = 'require_two_factor';
const SIX_DIGITS = /^\d{6}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Recovery codes carry 80 random bits each, so one SHA-256 over them cannot be brute-forced from a copy
 * of the database; a slow hash (argon2) would only make every sign-in that uses one pay for ten slow
 * comparisons. Input is compared case- and dash-insensitively.
 */
export function hashRecoveryCode(code: string): string {
  const normalized = code.toUpperCase().replace(/[^A-Z2-7]/g, '');
  return crypto.createHash('sha256').update(`certdesk-recovery:${normalized}`).digest('hex');
}

function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  // 16 characters shown as four groups of four (e.g. 7KQ2-M9ZD-4HTX-PW3A): easy to read out and type.
  return out.match(/.{4}/g)!.join('-');
}

export interface TotpDeps {
  store: TotpStore;
  kv: KvStore;
  clock: Clock;
  /** The sign-in throttle: a code guessed at enrolment counts like a password guessed. */
  throttle: SignInThrottle;
}

/** Two-factor sign-in: enrolment, the code check at sign-in and re-authentication, recovery codes. */
export class TotpService implements SecondFactor {
  constructor(private readonly deps: TotpDeps) {}

  status(userId: number): TotpStatus {
    const row = this.deps.store.find(userId);
    return {
      enabled: row?.enabled ?? false,
      recoveryCodesLeft: row?.enabled ? row.recoveryHashes.length : 0,
      requiredForEveryone: this.requiredForEveryone(),
    };
  }

  isEnabled(userId: number): boolean {
    return this.deps.store.isEnabled(userId);
  }

  /** A new secret, pending until `enable` sees a code from it. The only time the secret leaves. */
  async setup(user: RequestUser): Promise<TotpSetup> {
    const secret = otplib().generateSecret(); // 20 random bytes, Base32
    if (!this.deps.store.begin(user.id, secret, this.nowIso())) throw new AppError('TOTP_ALREADY_ENABLED');
    const otpauthUrl = otplib().generateURI({ issuer: ISSUER, label: user.username, secret });
    const qrSvg = await qrcode().toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, otpauthUrl, qrSvg };
  }

  /** Confirms the pending secret with a code from the app; returns the recovery codes (shown once). */
  enable(user: RequestUser, code: string, ip: string): RecoveryCodes {
    const row = this.deps.store.find(user.id);
    if (row?.enabled) throw new AppError('TOTP_ALREADY_ENABLED');
    if (!row) throw new AppError('TOTP_SETUP_MISSING');
    const attempt = this.deps.throttle.begin('reauth', ip, user.username);
    try {
      const timeStep = this.matchStep(row.secret, code, null);
      if (timeStep === null) {
        attempt.failed();
        throw new AppError('TOTP_CODE_INVALID', undefined, { field: 'code' });
      }
      attempt.succeeded(null);
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      if (!this.deps.store.enable(user.id, this.nowIso(), timeStep, codes.map(hashRecoveryCode)))
        throw new AppError('TOTP_SETUP_MISSING');
      return { recoveryCodes: codes };
    } finally {
      attempt.release();
    }
  }

  /** Call after `AuthService.reauthenticate` (password and code). */
  disable(userId: number): void {
    if (!this.isEnabled(userId)) throw new AppError('TOTP_NOT_ENABLED');
    this.deps.store.delete(userId);
  }

  /** Call after `AuthService.reauthenticate`. The old codes stop working. */
  regenerateRecoveryCodes(userId: number): RecoveryCodes {
    if (!this.isEnabled(userId)) throw new AppError('TOTP_NOT_ENABLED');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    this.deps.store.setRecoveryHashes(userId, codes.map(hashRecoveryCode));
    return { recoveryCodes: codes };
  }

  /**
   * The second step of sign-in, inside the password attempt already reserved (one reservation for both
   * factors, so parallel wrong codes hit the same cap as wrong passwords). A missing code is not a guess
   * and is not counted; a wrong one is. Returns how the user proved it, null when TOTP is off.
   */
  checkSignIn(userId: number, code: string | undefined, attempt: Attempt): 'totp' | 'recovery-code' | null {
    return this.check(userId, code, attempt, 'TOTP_REQUIRED', 'INVALID_TOTP');
  }

  checkReauth(userId: number, code: string | undefined, attempt: Attempt): void {
    this.check(userId, code, attempt, 'REAUTH_TOTP_REQUIRED', 'REAUTH_TOTP_INVALID');
  }

  requiredForEveryone(): boolean {
    return this.deps.kv.get(REQUIRE_KEY) === 'true';
  }

  /** The administrator turning it on must have it: otherwise their own session would be fenced in. */
  setRequiredForEveryone(on: boolean, callerId: number): void {
    if (on && !this.isEnabled(callerId)) {
      throw new AppError(
        'TOTP_NOT_ENABLED',
        'Turn on two-factor sign-in for your own account before requiring it for everyone.',
      );
    }
    this.deps.kv.set(REQUIRE_KEY, on ? 'true' : 'false');
  }

  /** The session may only enrol (auth hook): required for everyone and this account has none yet. */
  enrolmentRequired(userId: number): boolean {
    return this.requiredForEveryone() && !this.isEnabled(userId);
  }

  private check(
    userId: number,
    code: string | undefined,
    attempt: Attempt,
    missing: 'TOTP_REQUIRED' | 'REAUTH_TOTP_REQUIRED',
    wrong: 'INVALID_TOTP' | 'REAUTH_TOTP_INVALID',
  ): 'totp' | 'recovery-code' | null {
    const row = this.deps.store.find(userId);
    if (!row?.enabled) return null;
    if (!code) {
      attempt.release();
      throw new AppError(missing);
    }
    // Everything below is synchronous: the check and the write of the accepted step (or the spent
    // recovery code) cannot interleave with a parallel request carrying the same code.
    const how = this.verify(userId, row.secret, row.lastTimeStep, row.recoveryHashes, code);
    if (!how) {
      attempt.failed();
      throw new AppError(wrong);
    }
    return how;
  }

  private verify(
    userId: number,
    secret: string,
    lastTimeStep: number | null,
    recoveryHashes: string[],
    code: string,
  ): 'totp' | 'recovery-code' | null {
    const trimmed = code.replace(/\s/g, '');
    if (SIX_DIGITS.test(trimmed)) {
      const step = this.matchStep(secret, trimmed, lastTimeStep);
      return step !== null && this.deps.store.acceptStep(userId, step) ? 'totp' : null;
    }
    const hash = hashRecoveryCode(trimmed);
    const left = recoveryHashes.filter((h) => h !== hash);
    if (left.length === recoveryHashes.length) return null;
    this.deps.store.setRecoveryHashes(userId, left);
    return 'recovery-code';
  }

  /** The step the code belongs to (within the window, after `afterStep`), or null. */
  private matchStep(secret: string, code: string, afterStep: number | null): number | null {
    const trimmed = code.replace(/\s/g, '');
    if (!SIX_DIGITS.test(trimmed)) return null;
    const result = otplib().verifySync({
      secret,
      token: trimmed,
      period: TOTP_PERIOD_S,
      digits: 6,
      algorithm: 'sha1',
      epoch: Math.floor(this.deps.clock.now() / 1000),
      epochTolerance: WINDOW_STEPS * TOTP_PERIOD_S,
      ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
    });
    // The TOTP strategy always reports the matched step; the union type also covers HOTP.
    return result.valid ? (result as { timeStep: number }).timeStep : null;
  }

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
