import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, createTestApp, login, type Session, type TestApp } from '../../support/app.js';

const PASSWORD = 'a long enough passphrase for tests';

describe('users and roles API', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let admin: Session;

  before(async () => {
    const t = await createTestApp();
    app = t.app;
    close = t.close;
    admin = await login(app);
  });
  after(() => close());

  const call = (
    s: Session | { headers: Record<string, string> },
    method: string,
    url: string,
    payload?: unknown,
  ) => app.inject({ method: method as 'GET', url, headers: s.headers, payload: payload as object });
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const createUser = async (username: string, role: string) => {
    const res = await call(admin, 'POST', '/api/users', { username, password: PASSWORD, role });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; role: string; disabled: boolean; mustChangePassword: boolean };
  };

  test('the first account is an administrator; create, list, refuse a taken name and a short password', async () => {
    const list = (await call(admin, 'GET', '/api/users')).json() as {
      items: { username: string; role: string }[];
    };
    assert.deepEqual(
      list.items.map((u) => [u.username, u.role]),
      [['admin', 'admin']],
    );
    const ops = await createUser('ops', 'operator');
    assert.equal(ops.role, 'operator');
    assert.equal(ops.disabled, false);
    const taken = await call(admin, 'POST', '/api/users', {
      username: 'ops',
      password: PASSWORD,
      role: 'auditor',
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().code, 'USERNAME_TAKEN');
    const short = await call(admin, 'POST', '/api/users', {
      username: 'x',
      password: 'short',
      role: 'auditor',
    });
    assert.equal(short.statusCode, 400);
    const badRole = await call(admin, 'POST', '/api/users', {
      username: 'y',
      password: PASSWORD,
      role: 'root',
    });
    assert.equal(badRole.statusCode, 400);
  });

  test('never the last enabled administrator; never one’s own account', async () => {
    const me = 1;
    for (const [method, body] of [
      ['PATCH', { disabled: true }],
      ['PATCH', { role: 'auditor' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(admin, method, `/api/users/${me}`, body);
      assert.equal(res.statusCode, 409, `${method} ${JSON.stringify(body)}`);
      assert.equal(res.json().code, 'OWN_ACCOUNT');
    }
    // Through the service (as the command line does, no "own" account): the last admin stays.
    assert.throws(() => app.accounts.update(null, me, { role: 'operator' }), { code: 'LAST_ADMIN' });
    assert.throws(() => app.accounts.update(null, me, { disabled: true }), { code: 'LAST_ADMIN' });
    assert.throws(() => app.accounts.delete(null, me), { code: 'LAST_ADMIN' });
    // A second administrator may then demote the first, and the last one is protected again.
    const second = await createUser('second-admin', 'admin');
    const s2 = await login(app, 'second-admin', PASSWORD);
    const demote = await call(s2, 'PATCH', `/api/users/${me}`, { role: 'operator' });
    assert.equal(demote.statusCode, 200, demote.body);
    const last = await call(s2, 'DELETE', `/api/users/${me}`);
    assert.equal(last.statusCode, 204);
    const lastAdmin = await call(admin, 'GET', '/api/users');
    assert.equal(lastAdmin.statusCode, 401, 'the deleted account’s session ended');
    const refuse = await app.inject({ method: 'POST', url: '/api/users', headers: s2.headers, payload: {} });
    assert.equal(refuse.statusCode, 400);
    assert.throws(
      () => app.accounts.update(null, second.id, { disabled: true }),
      (err: Error & { code?: string; message: string }) => {
        assert.equal(err.code, 'LAST_ADMIN');
        assert.match(err.message, /last enabled administrator/);
        return true;
      },
    );
    // Back to a known state for the next tests.
    await app.accounts.create(null, 'admin', ADMIN_PASSWORD, 'admin');
    admin = await login(app);
  });

  test('disabling ends the sessions, refuses sign-in, and the account’s API tokens stop working (401)', async () => {
    const user = await createUser('carol', 'operator');
    const s = await login(app, 'carol', PASSWORD);
    const token = (await call(s, 'POST', '/api/tokens', { name: 'ci' })).json().token as string;
    assert.equal((await call(bearer(token), 'GET', '/api/certificates')).statusCode, 200);
    const res = await call(admin, 'PATCH', `/api/users/${user.id}`, { disabled: true });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().disabled, true);
    assert.equal((await call(s, 'GET', '/api/certificates')).statusCode, 401);
    const byToken = await call(bearer(token), 'GET', '/api/certificates');
    assert.equal(byToken.statusCode, 401);
    assert.equal(byToken.json().code, 'ACCOUNT_DISABLED');
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'carol', password: PASSWORD },
    });
    assert.equal(signIn.statusCode, 401);
    await call(admin, 'PATCH', `/api/users/${user.id}`, { disabled: false });
    assert.equal((await call(bearer(token), 'GET', '/api/certificates')).statusCode, 200, 'enabled again');
  });

  test('reset password: one-time password, must be changed before anything else', async () => {
    const user = await createUser('dave', 'auditor');
    const before = await login(app, 'dave', PASSWORD);
    const reset = await call(admin, 'POST', `/api/users/${user.id}/reset-password`);
    assert.equal(reset.statusCode, 200);
    assert.equal(reset.headers['cache-control'], 'no-store');
    const { password } = reset.json() as { password: string };
    assert.ok(password.length >= 12);
    assert.equal((await call(before, 'GET', '/api/auth/me')).statusCode, 401, 'sessions ended');
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dave', password },
    });
    assert.equal(signIn.statusCode, 200);
    assert.equal(signIn.json().user.mustChangePassword, true);
    const s = await login(app, 'dave', password);
    const blocked = await call(s, 'GET', '/api/certificates');
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().code, 'PASSWORD_CHANGE_REQUIRED');
    assert.equal((await call(s, 'GET', '/api/auth/me')).json().user.mustChangePassword, true);
    const change = await call(s, 'POST', '/api/auth/password', {
      currentPassword: password,
      newPassword: 'my own new passphrase',
    });
    assert.equal(change.statusCode, 204, change.body);
    assert.equal((await call(s, 'GET', '/api/certificates')).statusCode, 200);
    assert.equal((await call(s, 'GET', '/api/auth/me')).json().user.mustChangePassword, false);
    const audit = (await call(admin, 'GET', '/api/audit?action=user.reset_password')).json();
    assert.equal(audit.items[0].actor, 'admin');
    assert.ok(!JSON.stringify(audit).includes(password), 'the password is never audited');
  });

  test('role change applies to the next request; users are admin only', async () => {
    const user = await createUser('erin', 'operator');
    const s = await login(app, 'erin', PASSWORD);
    assert.equal((await call(s, 'GET', '/api/users')).json().code, 'FORBIDDEN');
    assert.equal((await call(admin, 'PATCH', `/api/users/${user.id}`, { role: 'auditor' })).statusCode, 200);
    const del = await call(s, 'DELETE', '/api/certificates/1');
    assert.equal(del.statusCode, 403);
    assert.match(del.json().message, /^An auditor cannot change the inventory/);
    assert.equal((await call(admin, 'DELETE', `/api/users/${user.id}`)).statusCode, 204);
    assert.equal((await call(admin, 'DELETE', `/api/users/${user.id}`)).statusCode, 404);
  });

  test('tokens: a narrower role at creation, never a wider one; operators see only their own', async () => {
    await createUser('frank', 'operator');
    const op = await login(app, 'frank', PASSWORD);
    const wider = await call(op, 'POST', '/api/tokens', { name: 'too much', role: 'admin' });
    assert.equal(wider.statusCode, 403);
    assert.equal(wider.json().code, 'FORBIDDEN');
    const narrow = await call(op, 'POST', '/api/tokens', { name: 'read only', role: 'auditor' });
    assert.equal(narrow.statusCode, 201);
    assert.equal(narrow.json().role, 'auditor');
    const token = narrow.json().token as string;
    const me = (await call(bearer(token), 'GET', '/api/auth/me')).json();
    assert.equal(me.user.role, 'auditor');
    assert.ok(!me.permissions.includes('inventory:write'));
    assert.equal((await call(bearer(token), 'GET', '/api/certificates')).statusCode, 200);
    assert.equal((await call(bearer(token), 'DELETE', '/api/certificates/1')).json().code, 'FORBIDDEN');
    // A token cannot mint a wider one either.
    const fromToken = await call(bearer(token), 'POST', '/api/tokens', {
      name: 'x',
      role: 'operator',
      password: PASSWORD,
    });
    assert.equal(fromToken.statusCode, 403);

    const adminToken = (await call(admin, 'POST', '/api/tokens', { name: 'admin ci' })).json();
    const opList = (await call(op, 'GET', '/api/tokens')).json().items as {
      name: string;
      username: string;
    }[];
    assert.deepEqual(
      opList.map((t) => t.name),
      ['read only'],
    );
    const adminList = (await call(admin, 'GET', '/api/tokens')).json().items as {
      name: string;
      username: string;
    }[];
    assert.ok(adminList.some((t) => t.name === 'read only' && t.username === 'frank'));
    assert.equal((await call(op, 'DELETE', `/api/tokens/${adminToken.id}`)).statusCode, 404, 'not theirs');
    assert.equal(
      (await call(admin, 'DELETE', `/api/tokens/${narrow.json().id}`)).statusCode,
      204,
      'admin: anyone’s',
    );
  });

  test('audit: every entry names its actor and the token used; filters by actor, action and time', async () => {
    const s = await login(app, 'frank', PASSWORD);
    const created = (await call(s, 'POST', '/api/tokens', { name: 'audited' })).json();
    await call(bearer(created.token), 'DELETE', `/api/tokens/${created.id}`);
    const page = (await call(admin, 'GET', '/api/audit?actor=frank&action=token.')).json();
    assert.ok(page.items.length >= 2);
    assert.ok(page.items.every((e: { actor: string }) => e.actor === 'frank'));
    const del = page.items.find((e: { action: string }) => e.action === 'token.delete');
    assert.deepEqual(del.token, { id: created.id, name: 'audited' });
    const viaSession = page.items.find((e: { action: string }) => e.action === 'token.create');
    assert.equal(viaSession.token, null);
    assert.equal((await call(admin, 'GET', '/api/audit?actor=nobody')).json().total, 0);
    const future = (await call(admin, 'GET', '/api/audit?from=2999-01-01')).json();
    assert.equal(future.total, 0);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(
      (await call(admin, 'GET', `/api/audit?from=${today}&to=${today}&actor=frank`)).json().total >= 2,
    );
    assert.equal((await call(admin, 'GET', '/api/audit?from=yesterday')).statusCode, 400);
  });
});
