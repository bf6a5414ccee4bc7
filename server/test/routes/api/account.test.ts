import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthService } from '../../../src/services/auth-service.js';
import { ADMIN_PASSWORD, createTestApp, login, type Session, type TestApp } from '../../support/app.js';

/** Password change, "sign out everywhere", and API tokens that expire and need the password to be made. */

const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'a long enough passphrase';

let app: TestApp;
let close: () => Promise<void>;
before(async () => ({ app, close } = await createTestApp()));
after(() => close());

/** A fresh account per test, so failures and back-off in one test never touch another. */
async function account(username: string): Promise<Session> {
  await app.auth.createUser(username, PASSWORD);
  return login(app, username, PASSWORD);
}

async function me(headers: Record<string, string>) {
  return app.inject({ method: 'GET', url: '/api/auth/me', headers });
}

function post(url: string, session: Session | { authorization: string }, payload?: object) {
  const headers = 'headers' in session ? session.headers : session;
  return app.inject({ method: 'POST', url, headers, payload });
}

function auditOf(action: string, actor: string): { details: Record<string, unknown> }[] {
  return (
    app.db.prepare('SELECT details FROM audit_log WHERE action = ? AND actor = ?').all(action, actor) as {
      details: string;
    }[]
  ).map((r) => ({ details: JSON.parse(r.details) }));
}

describe('password change', () => {
  test('ends the other sessions, keeps this one; the old password stops working; audited', async () => {
    const current = await account('carol');
    const other = await login(app, 'carol', PASSWORD);
    const newPassword = 'carol changed her passphrase';
    const res = await post('/api/auth/password', current, { currentPassword: PASSWORD, newPassword });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await me({ cookie: current.cookie })).statusCode, 200, 'this session stays');
    assert.equal((await me({ cookie: other.cookie })).statusCode, 401, 'the other session ended');
    await assert.rejects(login(app, 'carol', PASSWORD), /401/);
    await login(app, 'carol', newPassword);
    const audit = auditOf('auth.password_change', 'carol');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.details.endedSessions, 1);
    assert.ok(!JSON.stringify(audit).includes(newPassword));
  });

  test('wrong current password is 403 REAUTH_FAILED; short is 400; the same password is 422', async () => {
    const s = await account('erin');
    const wrong = await post('/api/auth/password', s, {
      currentPassword: 'not it',
      newPassword: 'whatever long enough',
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().code, 'REAUTH_FAILED');
    const short = await post('/api/auth/password', s, { currentPassword: PASSWORD, newPassword: 'short' });
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().code, 'VALIDATION_ERROR');
    const same = await post('/api/auth/password', s, { currentPassword: PASSWORD, newPassword: PASSWORD });
    assert.equal(same.statusCode, 422);
    assert.equal(same.json().code, 'PASSWORD_UNCHANGED');
    await login(app, 'erin', PASSWORD);
  });

  test('repeated wrong current passwords back off with 429, like sign-in', async () => {
    const s = await account('frank');
    const codes: number[] = [];
    for (let i = 0; i < 10 && !codes.includes(429); i++) {
      const r = await post('/api/auth/password', s, {
        currentPassword: `guess ${i}`,
        newPassword: 'whatever long enough',
      });
      codes.push(r.statusCode);
      if (r.statusCode === 429) assert.equal(r.json().code, 'RATE_LIMITED');
    }
    assert.ok(codes.includes(429), `no back-off: ${codes.join(',')}`);
  });
});

describe('sign out everywhere', () => {
  test('ends every session of the user, this one included; other users and tokens stay; audited', async () => {
    const a = await account('grace');
    const b = await login(app, 'grace', PASSWORD);
    const someoneElse = await login(app);
    const created = await post('/api/tokens', a, { name: 'script', password: PASSWORD });
    const { token } = created.json() as { token: string };
    const res = await post('/api/auth/logout-all', a);
    assert.equal(res.statusCode, 204, res.body);
    assert.match(String(res.headers['set-cookie']), /certdesk_session=;/, 'the cookie is cleared');
    assert.equal((await me({ cookie: a.cookie })).statusCode, 401);
    assert.equal((await me({ cookie: b.cookie })).statusCode, 401);
    assert.equal((await me({ cookie: someoneElse.cookie })).statusCode, 200);
    assert.equal((await me({ authorization: `Bearer ${token}` })).statusCode, 200);
    assert.equal(auditOf('auth.logout_all', 'grace')[0]?.details.endedSessions, 2);
  });
});

describe('API tokens: re-authentication and expiry', () => {
  test('API.md form { name } works right after sign-in; later the password is needed: missing or wrong 403', async () => {
    const s = await login(app);
    const fresh = await post('/api/tokens', s, { name: 'fresh sign-in' });
    assert.equal(fresh.statusCode, 201, fresh.body);
    // Six minutes later the sign-in no longer vouches for the person at the keyboard.
    app.db.prepare('UPDATE sessions SET created_at = created_at - 360000').run();
    const missing = await post('/api/tokens', s, { name: 'no password' });
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json().code, 'REAUTH_FAILED');
    const wrong = await post('/api/tokens', s, { name: 'wrong', password: 'not the password' });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().code, 'REAUTH_FAILED');
    const names = app.db.prepare('SELECT name FROM api_tokens').all() as { name: string }[];
    assert.ok(!names.some((n) => n.name === 'no password' || n.name === 'wrong'), 'nothing was created');
  });

  test('a Bearer token cannot mint another without the password', async () => {
    const s = await login(app);
    const { token } = (await post('/api/tokens', s, { name: 'parent', password: ADMIN_PASSWORD })).json();
    const child = await post(
      '/api/tokens',
      { authorization: `Bearer ${token}` },
      { name: 'child', password: '' },
    );
    assert.equal(child.statusCode, 403);
    assert.equal(child.json().code, 'REAUTH_FAILED');
  });

  test('repeated wrong passwords back off with 429', async () => {
    const s = await account('heidi');
    const codes: number[] = [];
    for (let i = 0; i < 10 && !codes.includes(429); i++) {
      codes.push((await post('/api/tokens', s, { name: 'x', password: `guess ${i}` })).statusCode);
    }
    assert.ok(codes.includes(429), `no back-off: ${codes.join(',')}`);
  });

  test('default 90 days, or the days chosen (1–365); the list shows when each expires', async () => {
    const s = await login(app);
    const before = Date.now();
    const def = await post('/api/tokens', s, { name: 'default', password: ADMIN_PASSWORD });
    assert.equal(def.statusCode, 201, def.body);
    const defExpiry = Date.parse(def.json().expiresAt);
    assert.ok(defExpiry >= before + 90 * DAY && defExpiry <= Date.now() + 90 * DAY);
    const week = await post('/api/tokens', s, { name: 'week', password: ADMIN_PASSWORD, expiresInDays: 7 });
    assert.equal(week.statusCode, 201, week.body);
    for (const expiresInDays of [0, 366, null, 1.5]) {
      const bad = await post('/api/tokens', s, { name: 'bad', password: ADMIN_PASSWORD, expiresInDays });
      assert.equal(bad.statusCode, 400, `expiresInDays ${expiresInDays}: ${bad.body}`);
    }
    const list = await app.inject({ method: 'GET', url: '/api/tokens', headers: { cookie: s.cookie } });
    const items = list.json().items as { name: string; expiresAt: string }[];
    assert.equal(items.find((t) => t.name === 'default')?.expiresAt, def.json().expiresAt);
    assert.equal(items.find((t) => t.name === 'week')?.expiresAt, week.json().expiresAt);
  });

  test('an expired token is refused with 401 TOKEN_EXPIRED', async () => {
    // Made two days ago with a one-day lifetime, by the service with its clock set back.
    const past = new AuthService(
      {
        db: app.db,
        users: app.users,
        sessions: app.sessions,
        apiTokens: app.apiTokens,
        kv: app.kv,
        knownAddresses: app.knownAddresses,
      },
      () => Date.now() - 2 * DAY,
    );
    const admin = app.users.findByUsername('admin')!;
    const { token } = past.createApiToken(admin.id, 'expired', 1);
    const res = await me({ authorization: `Bearer ${token}` });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'TOKEN_EXPIRED');
    assert.match(res.json().message, /expired/);
    const fresh = past.createApiToken(admin.id, 'three days', 3);
    assert.equal((await me({ authorization: `Bearer ${fresh.token}` })).statusCode, 200);
  });
});
