import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/errors.js';
import type { Attempt } from '../../src/services/throttle.js';
import { createTestApp, login, type TestApp } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';
import { enrolTotp, totpAt } from '../support/totp.js';

function attempt(): Attempt & { outcome: string } {
  const a = {
    outcome: 'open',
    succeeded: () => {
      a.outcome = 'succeeded';
    },
    failed: () => {
      a.outcome = 'failed';
    },
    release: () => {
      if (a.outcome === 'open') a.outcome = 'released';
    },
  };
  return a;
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('TotpService: RFC 6238 with an injected clock', () => {
  // A step boundary plus 10 s: "−30 s" and "+30 s" land in the neighbouring steps, ±60 s two away.
  const clock = new FakeClock(Math.floor(Date.now() / 30_000) * 30_000 + 10_000);
  let app: TestApp;
  let close: () => Promise<void>;
  let secret: string;
  let recoveryCodes: string[];
  let userId: number;
  before(async () => {
    ({ app, close } = await createTestApp({}, { clock }));
    const s = await login(app);
    ({ secret, recoveryCodes } = await enrolTotp(app, s, clock));
    userId = app.users.findByUsername('admin')!.id;
  });
  after(() => close());

  const check = (code: string | undefined) => codeOf(() => app.totp.checkSignIn(userId, code, attempt()));

  test('a code is good one step either side of now and refused two steps away', () => {
    // Away from the enrolment code's step, so −30 s is not a step already spent.
    clock.advance(2 * 30_000);
    const t = clock.now();
    const cases: [number, string | null][] = [
      [+60_000, 'INVALID_TOTP'], // the code of now + 60 s, checked now: two steps ahead
      [-60_000, 'INVALID_TOTP'],
    ];
    for (const [offset, expected] of cases) assert.equal(check(totpAt(secret, t + offset)), expected);
    assert.equal(check(totpAt(secret, t - 30_000)), null, 'the previous step (−30 s) is accepted');
    assert.equal(check(totpAt(secret, t)), null, 'the current step');
    assert.equal(check(totpAt(secret, t + 30_000)), null, 'the next step (+30 s) is accepted');
  });

  test('the same code twice, or a code of an earlier step than the last accepted, is refused', () => {
    clock.advance(5 * 30_000);
    const t = clock.now();
    const now = totpAt(secret, t);
    assert.equal(check(now), null);
    assert.equal(check(now), 'INVALID_TOTP', 'replay of the same code');
    assert.equal(check(totpAt(secret, t - 30_000)), 'INVALID_TOTP', 'an earlier step after a later one');
    clock.advance(30_000);
    assert.equal(check(totpAt(secret, clock.now())), null, 'the next step still works');
  });

  test('a missing code releases the attempt; a wrong one counts as a failure', () => {
    const a = attempt();
    assert.equal(
      codeOf(() => app.totp.checkSignIn(userId, undefined, a)),
      'TOTP_REQUIRED',
    );
    assert.equal(a.outcome, 'released');
    const b = attempt();
    assert.equal(
      codeOf(() => app.totp.checkSignIn(userId, '000000x', b)),
      'INVALID_TOTP',
    );
    assert.equal(b.outcome, 'failed');
    const c = attempt();
    assert.equal(
      codeOf(() => app.totp.checkReauth(userId, undefined, c)),
      'REAUTH_TOTP_REQUIRED',
    );
    assert.equal(
      codeOf(() => app.totp.checkReauth(userId, 'nope', attempt())),
      'REAUTH_TOTP_INVALID',
    );
  });

  test('each recovery code works once, in any case and with or without dashes', () => {
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    const [first, second] = recoveryCodes as [string, string];
    assert.match(first, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    assert.equal(app.totp.checkSignIn(userId, first, attempt()), 'recovery-code');
    assert.equal(check(first), 'INVALID_TOTP', 'spent');
    assert.equal(
      app.totp.checkSignIn(userId, second.toLowerCase().replaceAll('-', ''), attempt()),
      'recovery-code',
    );
    assert.equal(app.totp.status(userId).recoveryCodesLeft, 8);
  });

  test('an account without TOTP passes the check whatever it sends', () => {
    const other = app.users.insert('nototp', 'x');
    assert.equal(app.totp.checkSignIn(other, undefined, attempt()), null);
    assert.equal(app.totp.checkSignIn(other, '123456', attempt()), null);
  });
});
