import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { ADMIN_PASSWORD, createTestApp, login } from './support/app.js';

const NEW_PASSWORD = 'a brand new passphrase 42';

test('logs at debug level never contain a password, session, CSRF or API token', async () => {
  let logs = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  const { app, close } = await createTestApp({ CERTDESK_LOG_LEVEL: 'debug' }, { logStream: stream });
  try {
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'wrong-password-xyz' },
    });
    const s = await login(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: s.headers,
      payload: { name: 'ci', password: ADMIN_PASSWORD },
    });
    const { token } = created.json() as { token: string };
    await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: s.headers,
      payload: { currentPassword: ADMIN_PASSWORD, newPassword: NEW_PASSWORD },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    assert.ok(logs.includes('/api/auth/login'), 'requests are logged at all');
    const sessionId = s.cookie.split('=')[1] as string;
    for (const secret of [
      ADMIN_PASSWORD,
      NEW_PASSWORD,
      'wrong-password-xyz',
      token,
      sessionId,
      s.csrfToken,
    ]) {
      assert.ok(!logs.includes(secret), `log contains a secret: ${secret.slice(0, 6)}…`);
    }
  } finally {
    await close();
  }
});

test('one access line per request, at info, flat and without headers', async () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      cb();
    },
  });
  const { app, close } = await createTestApp({ CERTDESK_LOG_LEVEL: 'info' }, { logStream: stream });
  try {
    await app.inject({ method: 'GET', url: '/api/health', headers: { cookie: 'certdesk_session=abc' } });
    await app.inject({ method: 'GET', url: '/api/certificates' });
    // A URL with characters JSON must escape still gives a line that parses.
    await app.inject({ method: 'GET', url: '/api/health?q=%22quoted%22\\x' });
    const access = lines.filter((l) => typeof l.url === 'string');
    assert.deepEqual(
      access.map((l) => [l.level, l.method, l.url, l.statusCode, l.msg]),
      [
        [30, 'GET', '/api/health', 200, 'request'],
        [30, 'GET', '/api/certificates', 401, 'request'],
        [30, 'GET', '/api/health?q=%22quoted%22\\x', 200, 'request'],
      ],
    );
    for (const l of access) {
      // The same fields, in the same order, as a line pino itself writes.
      assert.deepEqual(Object.keys(l), [
        'level',
        'time',
        'pid',
        'hostname',
        'reqId',
        'method',
        'url',
        'statusCode',
        'ms',
        'remoteAddress',
        'msg',
      ]);
      assert.equal(typeof l.time, 'number');
      assert.equal(l.pid, process.pid);
      assert.equal(typeof l.ms, 'number');
      assert.equal(typeof l.reqId, 'string');
      assert.equal(JSON.stringify(l).includes('abc'), false, 'no cookie value in the line');
    }
  } finally {
    await close();
  }
});
