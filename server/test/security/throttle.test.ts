import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import argon2 from 'argon2';
import { AppError } from '../../src/errors.js';
import { type KnownAddresses, SignInThrottle, THROTTLE_RULES } from '../../src/services/throttle.js';
import { KnownAddressStore } from '../../src/store/known-addresses.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';

/**
 * Red-team finding: a burst of 100 parallel wrong sign-ins had all 100 passwords hashed and checked (60
 * parallel wrong export passwords: 34), because the attempt was counted only after the slow hash. And
 * the per-user lock let anyone lock `admin` out for 15 minutes, repeatedly, from any address.
 */

// Counts real argon2 verifications: every password the server actually evaluates goes through it.
let verifications = 0;
const realVerify = argon2.verify;
before(() => {
  argon2.verify = (async (...args: Parameters<typeof realVerify>) => {
    verifications += 1;
    return realVerify(...args);
  }) as typeof argon2.verify;
});
after(() => {
  argon2.verify = realVerify;
});

function signIn(app: TestApp, password: string, remoteAddress: string, username = 'admin') {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress,
  });
}

describe('sign-in throttling under concurrency', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  // The app's throttle on a clock that only moves when the test says so: no back-off expires mid-burst.
  let now = 1_700_000_000_000;
  before(async () => {
    t = await createTestApp();
    Object.assign(t.app.auth, { throttle: new SignInThrottle(new KnownAddressStore(t.app.db), () => now) });
  });
  after(() => t.close());

  test('100 parallel wrong sign-ins from one address: at most the free attempts are evaluated', async () => {
    verifications = 0;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => signIn(t.app, `wrong-${i}`, '203.0.113.10')),
    );
    const codes = answers.map((r) => r.statusCode);
    assert.ok(
      verifications <= THROTTLE_RULES.addressAndUser.free,
      `${verifications} passwords were evaluated`,
    );
    assert.equal(codes.filter((c) => c === 401).length, verifications);
    assert.equal(codes.filter((c) => c === 429).length, 100 - verifications);
    const limited = answers.find((r) => r.statusCode === 429);
    assert.equal(limited?.json().code, 'RATE_LIMITED');
    assert.ok(Number(limited?.headers['retry-after']) >= 1);
  });

  test('60 parallel wrong export passwords: the re-authentication reserves before hashing too', async () => {
    verifications = 0;
    const user = { id: 1, username: 'admin', role: 'admin' as const, mustChangePassword: false };
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => t.app.auth.reauthenticate(user, `wrong-${i}`, '203.0.113.20')),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as AppError).code : 'OK'));
    assert.ok(verifications <= THROTTLE_RULES.addressAndUser.free, `${verifications} evaluated`);
    assert.equal(codes.filter((c) => c === 'REAUTH_FAILED').length, verifications);
    assert.equal(codes.filter((c) => c === 'RATE_LIMITED').length, 60 - verifications);
  });

  test('an attacker hammering admin from elsewhere cannot lock the admin out of a known address', async () => {
    const home = '198.51.100.7';
    assert.equal((await signIn(t.app, ADMIN_PASSWORD, home)).statusCode, 200, 'home becomes a known address');

    // From one address, in bursts, and spread over many addresses (the user-wide bucket).
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => signIn(t.app, `guess-${round}-${i}`, '192.0.2.66')),
      );
    }
    for (let n = 1; n <= 40; n++) await signIn(t.app, `spread-${n}`, `192.0.2.${100 + n}`);
    const attacker = await signIn(t.app, ADMIN_PASSWORD, '192.0.2.66');
    assert.equal(
      attacker.statusCode,
      429,
      'the guessing address stays throttled, even with the right password',
    );

    const admin = await signIn(t.app, ADMIN_PASSWORD, home);
    assert.equal(admin.statusCode, 200, admin.body);

    // A new address of the real admin is slowed by the user-wide bucket, for at most a minute.
    const elsewhere = await signIn(t.app, ADMIN_PASSWORD, '198.51.100.99');
    assert.equal(elsewhere.statusCode, 429);
    const wait = Number(elsewhere.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= THROTTLE_RULES.user.maxDelayMs / 1000, `retry after ${wait} s`);
    now += wait * 1000;
    assert.equal((await signIn(t.app, ADMIN_PASSWORD, '198.51.100.99')).statusCode, 200);
  });
});

describe('the user-wide limit slows but never locks (injected clock)', () => {
  const known = new Set<string>();
  const knownAddresses: KnownAddresses = {
    isKnown: (user, ip) => known.has(`${user}|${ip}`),
    remember: (_id, ip) => known.add(`admin|${ip}`),
  };
  let now = 1_000_000;
  const throttle = new SignInThrottle(knownAddresses, () => now);

  const refusedFor = (ip: string): number | null => {
    try {
      throttle.begin('login', ip, 'admin').release();
      return null;
    } catch (err) {
      assert.ok(err instanceof AppError && err.code === 'RATE_LIMITED');
      return err.details.retryAfterSeconds as number;
    }
  };

  test('after hours of spread guessing, an unknown address waits at most a minute; a known one not at all', () => {
    throttle.begin('login', '10.0.0.1', 'admin').succeeded(1);
    // One guess a second for two hours, each from a fresh address: refused ones are not counted.
    for (let i = 0; i < 7200; i++) {
      now += 1000;
      try {
        throttle.begin('login', `172.16.${i >> 8}.${i & 255}`, 'admin').failed();
      } catch {
        // throttled, as it should be
      }
    }
    const wait = refusedFor('10.9.9.9');
    assert.ok(wait !== null && wait <= THROTTLE_RULES.user.maxDelayMs / 1000, `waits ${wait} s`);
    now += THROTTLE_RULES.user.maxDelayMs;
    assert.equal(refusedFor('10.9.9.9'), null, 'a minute later the attempt goes through');
    assert.equal(refusedFor('10.0.0.1'), null, 'the known address was never slowed');
  });

  test('an attempt in flight past the free ones holds the bucket until it ends', () => {
    const ip = '10.1.1.1';
    for (let i = 0; i < THROTTLE_RULES.addressAndUser.free - 1; i++)
      throttle.begin('reauth', ip, 'bob').failed();
    const last = throttle.begin('reauth', ip, 'bob');
    assert.throws(() => throttle.begin('reauth', ip, 'bob'), /Too many wrong passwords/);
    last.succeeded(null);
    assert.doesNotThrow(() => throttle.begin('reauth', ip, 'bob').release(), 'success clears the pair');
  });
});
