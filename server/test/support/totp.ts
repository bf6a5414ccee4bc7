import assert from 'node:assert/strict';
import { generateSync } from 'otplib';
import { ADMIN_PASSWORD, type Session, type TestApp } from './app.js';
import type { FakeClock } from './fake-clock.js';

/** The code an authenticator app shows at `ms` (RFC 6238: SHA-1, 30 s, 6 digits). */
export function totpAt(secret: string, ms: number): string {
  return generateSync({ secret, epoch: Math.floor(ms / 1000) });
}

/** Enrols the session's account through the real routes; the clock moves one step on afterwards. */
export async function enrolTotp(
  app: TestApp,
  session: Session,
  clock: FakeClock,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: session.headers });
  assert.equal(setup.statusCode, 200, setup.body);
  const { secret } = setup.json() as { secret: string };
  const enabled = await app.inject({
    method: 'POST',
    url: '/api/auth/totp/enable',
    headers: session.headers,
    payload: { code: totpAt(secret, clock.now()) },
  });
  assert.equal(enabled.statusCode, 200, enabled.body);
  // The enrolment code's step is spent: the next code must come from a later one.
  clock.advance(30_000);
  return { secret, recoveryCodes: (enabled.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** POST /api/auth/login with a second factor; answers the raw response. */
export function loginRequest(app: TestApp, totp?: string, username = 'admin', password = ADMIN_PASSWORD) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...(totp === undefined ? {} : { totp }) },
  });
}
