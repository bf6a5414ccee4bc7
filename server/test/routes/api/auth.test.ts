import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, createTestApp, login, type TestApp } from '../../support/app.js';

describe('sign-in, sessions, CSRF and tokens', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  before(async () => ({ app, close } = await createTestApp()));
  after(() => close());

  test('health needs nothing', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('login sets a strict HttpOnly cookie and a new session id each time', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const body = res.json() as { user: { username: string }; csrfToken: string };
    assert.equal(body.user.username, 'admin');
    assert.ok(body.csrfToken.length >= 32);
    const a = await login(app);
    const b = await login(app);
    assert.notEqual(a.cookie, b.cookie);
    const id = a.cookie.split('=')[1] as string;
    assert.ok(Buffer.from(id, 'base64url').length >= 16, 'session id has at least 128 bits');
  });

  test('wrong password is 401 INVALID_CREDENTIALS and audited', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'nope' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'INVALID_CREDENTIALS');
    const s = await login(app);
    const audit = await app.inject({
      method: 'GET',
      url: '/api/audit?action=auth.login_failed',
      headers: { cookie: s.cookie },
    });
    const items = audit.json().items as { actor: string; ip: string; action: string }[];
    assert.ok(items.some((i) => i.actor === 'admin' && i.ip === '127.0.0.1'));
  });

  test('a cookie POST without the CSRF token is refused', async () => {
    const s = await login(app);
    const without = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: s.cookie },
      payload: { name: 'x' },
    });
    assert.equal(without.statusCode, 403);
    assert.equal(without.json().code, 'CSRF_TOKEN_INVALID');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
      payload: { name: 'x' },
    });
    assert.equal(wrong.statusCode, 403);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: s.headers,
      payload: { name: 'x', password: ADMIN_PASSWORD },
    });
    assert.equal(ok.statusCode, 201);
  });

  test('API tokens: shown once, hashed at rest, usable as Bearer without CSRF, revocable', async () => {
    const s = await login(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: s.headers,
      payload: { name: 'ci', password: ADMIN_PASSWORD },
    });
    const { id, token } = created.json() as { id: number; token: string };
    const stored = app.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').get(id) as {
      token_hash: string;
    };
    assert.notEqual(stored.token_hash, token);
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(me.statusCode, 200);
    const post = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'from-token', password: ADMIN_PASSWORD },
    });
    assert.equal(post.statusCode, 201, 'Bearer requests need no CSRF token');
    const list = await app.inject({ method: 'GET', url: '/api/tokens', headers: { cookie: s.cookie } });
    assert.ok(!list.body.includes(token), 'the list never shows a token again');
    const del = await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: s.headers });
    assert.equal(del.statusCode, 204);
    const after = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(after.statusCode, 401);
    const bogus = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer cdk_bogus' },
    });
    assert.equal(bogus.statusCode, 401);
  });

  test('logout ends the session', async () => {
    const s = await login(app);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    assert.equal(out.statusCode, 204);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    assert.equal(me.statusCode, 401);
  });

  test('an idle session expires after 30 minutes, any session after 12 hours', async () => {
    const idle = await login(app);
    app.db.prepare('UPDATE sessions SET last_seen_at = last_seen_at - ?').run(31 * 60 * 1000);
    const r1 = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: idle.cookie } });
    assert.equal(r1.statusCode, 401);
    assert.equal(r1.json().code, 'SESSION_EXPIRED');
    const old = await login(app);
    app.db.prepare('UPDATE sessions SET created_at = created_at - ?').run(13 * 60 * 60 * 1000);
    const r2 = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: old.cookie } });
    assert.equal(r2.statusCode, 401);
  });

  test('malformed JSON and oversized bodies get 4xx with a code', async () => {
    const s = await login(app);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { ...s.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'INVALID_JSON');
    const big = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { ...s.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(400_000) }),
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().code, 'PAYLOAD_TOO_LARGE');
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: s.headers,
      payload: { name: '' },
    });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().code, 'VALIDATION_ERROR');
    const badId = await app.inject({
      method: 'DELETE',
      url: '/api/tokens/..%2f..%2fetc',
      headers: s.headers,
    });
    assert.equal(badId.statusCode, 400);
  });

  test('security headers: CSP and no HSTS over plain HTTP', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    assert.ok(res.headers['content-security-policy']);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  test('login is rate limited with back-off', async () => {
    let last = 0;
    for (let i = 0; i < 7; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: `guess${i}` },
        remoteAddress: '10.9.8.7',
      });
      last = r.statusCode;
      if (r.statusCode === 429) {
        assert.equal(r.json().code, 'RATE_LIMITED');
        assert.ok(Number(r.headers['retry-after']) >= 1);
        break;
      }
    }
    assert.equal(last, 429);
    // Even the right password is refused from the guessing address while it is backed off.
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
      remoteAddress: '10.9.8.7',
    });
    assert.equal(locked.statusCode, 429);
  });
});

describe('first-run setup', () => {
  let app: TestApp;
  let dataDir: string;
  let close: () => Promise<void>;
  before(async () => ({ app, dataDir, close } = await createTestApp({ CERTDESK_ADMIN_PASSWORD: undefined })));
  after(() => close());

  test('a one-time setup token creates the first administrator', async () => {
    const status = await app.inject({ method: 'GET', url: '/api/setup' });
    const file = path.join(dataDir, 'setup-token');
    // The sign-in page names the real file (the data directory is wherever CERTDESK_DATA_DIR says).
    assert.deepEqual(status.json(), { needsSetup: true, setupTokenFile: file });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const token = fs.readFileSync(file, 'utf8').trim();
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token: 'wrong', username: 'root', password: 'a long enough password' },
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().code, 'SETUP_TOKEN_INVALID');
    const weak = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, username: 'root', password: 'short' },
    });
    assert.equal(weak.statusCode, 400);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, username: 'root', password: 'a long enough password' },
    });
    assert.equal(ok.statusCode, 200);
    assert.ok(ok.headers['set-cookie']);
    assert.equal(fs.existsSync(file), false);
    const done = await app.inject({ method: 'GET', url: '/api/setup' });
    assert.deepEqual(done.json(), { needsSetup: false }, 'no path once an account exists');
    const again = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, username: 'x', password: 'a long enough password' },
    });
    assert.equal(again.statusCode, 409);
    const s = await login(app, 'root', 'a long enough password');
    assert.ok(s.csrfToken);
  });
});
