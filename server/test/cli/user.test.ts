import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setCliIo } from '../../src/cli/common.js';
import { main } from '../../src/cli.js';
import { createTestApp, login, type TestApp } from '../support/app.js';

/** `certdesk user …` on the database a running app uses: the same accounts, the same audit entries. */
let app: TestApp;
let close: () => Promise<void>;
const savedEnv = { ...process.env };

before(async () => {
  const t = await createTestApp();
  app = t.app;
  close = t.close;
  process.env.CERTDESK_DATA_DIR = t.dataDir;
  process.env.CERTDESK_LOG_LEVEL = 'silent';
});
after(async () => {
  process.env = savedEnv;
  await close();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const restore = setCliIo({ stdout: (c) => void out.push(String(c)), stderr: (c) => void err.push(c) });
  try {
    return { code: await main(args), stdout: out.join(''), stderr: err.join('') };
  } finally {
    restore();
  }
}

test('add with a generated one-time password, list, disable, reset-password', async () => {
  const added = await cli(['user', 'add', 'olivia', '--role', 'operator']);
  assert.equal(added.code, 0, added.stderr);
  const password = /One-time password[^:]*: (\S+)/.exec(added.stdout)?.[1] as string;
  assert.ok(password && password.length >= 12);
  const s = await login(app, 'olivia', password);
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers });
  assert.equal(me.json().user.mustChangePassword, true);
  assert.equal(me.json().user.role, 'operator');

  process.env.CERTDESK_NEW_PASSWORD = 'chosen passphrase of mine';
  assert.equal((await cli(['user', 'add', 'paul', '--role', 'auditor'])).code, 0);
  delete process.env.CERTDESK_NEW_PASSWORD;
  assert.equal((await login(app, 'paul', 'chosen passphrase of mine')).csrfToken.length > 0, true);

  const list = await cli(['user', 'list', '--json']);
  const items = JSON.parse(list.stdout).items as { username: string; role: string }[];
  assert.deepEqual(items.map((u) => `${u.username}:${u.role}`).sort(), [
    'admin:admin',
    'olivia:operator',
    'paul:auditor',
  ]);

  assert.equal((await cli(['user', 'disable', 'olivia'])).code, 0);
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode,
    401,
  );
  const last = await cli(['user', 'disable', 'admin']);
  assert.equal(last.code, 2);
  assert.match(last.stderr, /LAST_ADMIN/);

  const reset = await cli(['user', 'reset-password', 'paul']);
  assert.equal(reset.code, 0);
  assert.match(reset.stdout, /One-time password/);
  const bad = await cli(['user', 'add', 'x', '--role', 'root']);
  assert.equal(bad.code, 2);
  const audit = await app.inject({
    method: 'GET',
    url: '/api/audit?actor=cli&action=user.',
    headers: (await login(app)).headers,
  });
  assert.deepEqual((audit.json().items as { action: string }[]).map((e) => e.action).sort(), [
    'user.create',
    'user.create',
    'user.disable',
    'user.reset_password',
  ]);
});
