import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { FakeClock } from '../../support/fake-clock.js';
import { enrolTotp, loginRequest, totpAt } from '../../support/totp.js';

const sessionOf = (res: { headers: Record<string, unknown>; json: () => unknown }): Session => {
  const raw = [res.headers['set-cookie'] ?? []].flat()[0] as string;
  const cookie = raw.split(';')[0] as string;
  const { csrfToken } = res.json() as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
};

describe('two-factor sign-in over HTTP', () => {
  const clock = new FakeClock();
  let app: TestApp;
  let close: () => Promise<void>;
  let secret: string;
  let recoveryCodes: string[];
  let admin: Session;
  before(async () => {
    ({ app, close } = await createTestApp({}, { clock }));
    admin = await login(app);
    ({ secret, recoveryCodes } = await enrolTotp(app, admin, clock));
  });
  after(() => close());

  test('setup answers the secret, an otpauth URL and an SVG QR code once; a second setup is refused', async () => {
    const s = await login(app, 'admin', ADMIN_PASSWORD).catch(() => null);
    assert.equal(s, null, 'the password alone no longer signs in');
    const status = await app.inject({ method: 'GET', url: '/api/auth/totp', headers: admin.headers });
    assert.deepEqual(status.json(), { enabled: true, recoveryCodesLeft: 10, requiredForEveryone: false });
    const again = await app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: admin.headers });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'TOTP_ALREADY_ENABLED');
    assert.ok(!status.body.includes(secret));
  });

  test('password without totp: 401 TOTP_REQUIRED and no session; wrong code 401 INVALID_TOTP', async () => {
    const missing = await loginRequest(app);
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().code, 'TOTP_REQUIRED');
    assert.equal(missing.headers['set-cookie'], undefined);
    const wrong = await loginRequest(app, totpAt(secret, clock.now() + 5 * 60_000));
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().code, 'INVALID_TOTP');
    assert.equal(wrong.headers['set-cookie'], undefined);
    const badPassword = await loginRequest(app, totpAt(secret, clock.now()), 'admin', 'not the password');
    assert.equal(
      badPassword.json().code,
      'INVALID_CREDENTIALS',
      'a right code does not help a wrong password',
    );
    const ok = await loginRequest(app, totpAt(secret, clock.now()));
    assert.equal(ok.statusCode, 200, ok.body);
    const replay = await loginRequest(app, totpAt(secret, clock.now()));
    assert.equal(replay.json().code, 'INVALID_TOTP', 'the same code cannot sign in twice');
    const recovery = await loginRequest(app, recoveryCodes[0]);
    assert.equal(recovery.statusCode, 200);
    assert.equal((await loginRequest(app, recoveryCodes[0])).json().code, 'INVALID_TOTP');
    admin = sessionOf(recovery);
  });

  test('re-authentication for a key download asks for the code too', async () => {
    clock.advance(30_000);
    const csr = await app.inject({
      method: 'POST',
      url: '/api/csrs',
      headers: admin.headers,
      payload: { commonName: 'totp.example.com', keyType: 'ec', curve: 'P-256' },
    });
    assert.equal(csr.statusCode, 201, csr.body);
    const url = `/api/csrs/${csr.json().id}/key`;
    const key = (payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });
    const noCode = await key({ password: ADMIN_PASSWORD });
    assert.equal(noCode.statusCode, 403);
    assert.equal(noCode.json().code, 'REAUTH_TOTP_REQUIRED');
    const wrongCode = await key({
      password: ADMIN_PASSWORD,
      totp: totpAt(secret, clock.now() - 10 * 60_000),
    });
    assert.equal(wrongCode.json().code, 'REAUTH_TOTP_INVALID');
    const wrongPassword = await key({ password: 'nope', totp: totpAt(secret, clock.now()) });
    assert.equal(wrongPassword.json().code, 'REAUTH_FAILED');
    const ok = await key({ password: ADMIN_PASSWORD, totp: totpAt(secret, clock.now()) });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.match(ok.body, /BEGIN PRIVATE KEY/);

    // Token creation with the password (the re-authenticating form) and a password change ask too.
    const token = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload });
    const tokenNoCode = await token({ name: 'ci', password: ADMIN_PASSWORD });
    assert.equal(tokenNoCode.json().code, 'REAUTH_TOTP_REQUIRED');
    clock.advance(30_000);
    const tokenOk = await token({ name: 'ci', password: ADMIN_PASSWORD, totp: totpAt(secret, clock.now()) });
    assert.equal(tokenOk.statusCode, 201, tokenOk.body);
    const change = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: admin.headers,
      payload: { currentPassword: ADMIN_PASSWORD, newPassword: 'another long password 1' },
    });
    assert.equal(change.json().code, 'REAUTH_TOTP_REQUIRED');
  });

  test('require for everyone: an account without TOTP may only enrol until it has', async () => {
    clock.advance(30_000);
    await app.auth.createUser('bob', 'bob password 12345');
    const put = (on: boolean, s: Session) =>
      app.inject({
        method: 'PUT',
        url: '/api/settings/security',
        headers: s.headers,
        payload: { requireTwoFactor: on },
      });
    let bob = await login(app, 'bob', 'bob password 12345');
    const refused = await put(true, bob);
    assert.equal(refused.statusCode, 409, 'the caller must have TOTP before requiring it');
    assert.equal(refused.json().code, 'TOTP_NOT_ENABLED');
    assert.equal((await put(true, admin)).statusCode, 200);
    const read = await app.inject({ method: 'GET', url: '/api/settings/security', headers: admin.headers });
    assert.deepEqual(read.json(), { requireTwoFactor: true });

    bob = await login(app, 'bob', 'bob password 12345');
    const fenced = await app.inject({ method: 'GET', url: '/api/certificates', headers: bob.headers });
    assert.equal(fenced.statusCode, 403);
    assert.equal(fenced.json().code, 'TOTP_ENROLMENT_REQUIRED');
    const tokens = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bob.headers,
      payload: { name: 'x' },
    });
    assert.equal(tokens.json().code, 'TOTP_ENROLMENT_REQUIRED');
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: bob.headers })).statusCode,
      200,
    );
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/auth/totp', headers: bob.headers })).statusCode,
      200,
    );
    await enrolTotp(app, bob, clock);
    const open = await app.inject({ method: 'GET', url: '/api/certificates', headers: bob.headers });
    assert.equal(open.statusCode, 200, 'enrolled: the same session reaches everything');
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/certificates', headers: admin.headers })).statusCode,
      200,
    );
    assert.equal((await put(false, admin)).statusCode, 200);
  });

  test('disable and new recovery codes ask for the password and a code', async () => {
    clock.advance(30_000);
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, headers: admin.headers, payload });
    const wrong = await post('/api/auth/totp/recovery-codes', { password: ADMIN_PASSWORD, totp: '000000' });
    assert.equal(wrong.json().code, 'REAUTH_TOTP_INVALID');
    const fresh = await post('/api/auth/totp/recovery-codes', {
      password: ADMIN_PASSWORD,
      totp: totpAt(secret, clock.now()),
    });
    assert.equal(fresh.statusCode, 200, fresh.body);
    const codes = fresh.json().recoveryCodes as string[];
    assert.equal(codes.length, 10);
    const old = await post('/api/auth/totp/disable', {
      password: ADMIN_PASSWORD,
      totp: recoveryCodes[5] as string,
    });
    assert.equal(old.json().code, 'REAUTH_TOTP_INVALID', 'the old recovery codes stopped working');
    const off = await post('/api/auth/totp/disable', { password: ADMIN_PASSWORD, totp: codes[0] as string });
    assert.equal(off.statusCode, 204, off.body);
    assert.equal((await loginRequest(app)).statusCode, 200, 'the password alone signs in again');
  });
});

describe('two-factor codes are throttled like passwords', () => {
  const clock = new FakeClock();
  let app: TestApp;
  let close: () => Promise<void>;
  let secret: string;
  before(async () => {
    ({ app, close } = await createTestApp({}, { clock }));
    ({ secret } = await enrolTotp(app, await login(app), clock));
  });
  after(() => close());

  test('parallel wrong codes with the right password: the cap holds, then even a right code waits', async () => {
    const wrong = totpAt(secret, clock.now() + 10 * 60_000);
    const answers = await Promise.all(Array.from({ length: 12 }, () => loginRequest(app, wrong)));
    const codes = answers.map((r) => r.json().code as string);
    const guessed = codes.filter((c) => c === 'INVALID_TOTP').length;
    assert.ok(guessed <= 5, `at most the 5 free attempts were checked, got ${codes.join(',')}`);
    assert.ok(codes.filter((c) => c === 'RATE_LIMITED').length >= 7);
    const right = await loginRequest(app, totpAt(secret, clock.now()));
    assert.equal(right.statusCode, 429, 'backed off: the code is not even checked');
  });
});
