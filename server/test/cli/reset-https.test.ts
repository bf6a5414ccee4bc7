import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { buildApp } from '../../src/build-app.js';
import { OUTSIDE_WRITE_POLL_MS } from '../../src/services/https-mode.js';
import { adoptSessionCookie, createTestApp, login } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';
import { request, seedCertificate, TlsPki } from '../support/tls-seed.js';

/** `certdesk reset-https` returns to HTTP with the server stopped or running (it polls the settings row). */
const pki = new TlsPki();
after(() => pki.cleanup());
const run = promisify(execFile);
const serverDir = path.resolve(import.meta.dirname, '../..');

/** Runs the CLI from source, asynchronously: the server under test lives in this process. */
function cli(args: string[], dataDir: string) {
  return run(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: serverDir,
    env: { ...process.env, CERTDESK_DATA_DIR: dataDir, CERTDESK_LOG_LEVEL: 'silent' },
    timeout: 30_000,
  });
}

async function httpsOn(clock?: FakeClock) {
  const t = await createTestApp({ CERTDESK_HTTP_PORT: '0', CERTDESK_HTTPS_PORT: '0' }, { clock });
  await t.app.httpsManager.start();
  const s = await login(t.app);
  const id = seedCertificate(t.app, pki, pki.leaf(['localhost']));
  const res = await request(`http://localhost:${t.app.httpsManager.ports.http}/api/settings/server`, {
    method: 'PUT',
    headers: s.headers,
    body: { httpsEnabled: true, activeCertificateId: id },
  });
  assert.equal(res.status, 202, res.body);
  const ok = await request(
    `https://localhost:${t.app.httpsManager.ports.https}/api/settings/server/confirm`,
    {
      method: 'POST',
      headers: s.headers,
      ca: pki.root.certPem,
      servername: 'localhost',
    },
  );
  assert.equal(ok.status, 200, ok.body);
  adoptSessionCookie(s, ok.headers['set-cookie']); // the switch to HTTPS moves the session to a Secure cookie
  return { ...t, s };
}

test('--help lists the commands', async () => {
  const { stdout } = await cli(['--help'], '/nonexistent-certdesk');
  assert.match(stdout, /Usage: certdesk <command>/);
  assert.match(stdout, /reset-https/);
});

test('reset-https with the server stopped: the next start serves HTTP only and says why', {
  timeout: 60_000,
}, async () => {
  const t = await httpsOn();
  await t.app.close();
  const { stdout } = await cli(['reset-https'], t.dataDir);
  assert.match(stdout, /HTTPS mode is now off/);
  const again = await buildApp(t.config);
  try {
    await again.httpsManager.start();
    assert.equal(again.httpsManager.ports.https, null);
    const res = await request(`http://localhost:${again.httpsManager.ports.http}/api/settings/server`, {
      headers: t.s.headers,
    });
    assert.equal(res.status, 200, 'no redirect');
    const view = JSON.parse(res.body);
    assert.equal(view.httpsEnabled, false);
    assert.match(view.lastRevert.reason, /reset-https/);
    const audit = again.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'settings.server.reset-https'")
      .get() as { actor: string };
    assert.equal(audit.actor, 'cli');
  } finally {
    await again.close();
    fs.rmSync(t.dataDir, { recursive: true, force: true });
  }
});

test('reset-https with the server running: the next poll drops it to HTTP', {
  timeout: 60_000,
}, async () => {
  const clock = new FakeClock();
  const t = await httpsOn(clock);
  try {
    const httpUrl = `http://localhost:${t.app.httpsManager.ports.http}/api/auth/me`;
    const before = await request(httpUrl, { headers: t.s.headers });
    assert.equal(before.status, 302, 'redirects while HTTPS is on');
    await cli(['reset-https'], t.dataDir);
    clock.advance(OUTSIDE_WRITE_POLL_MS - 1);
    await t.app.httpsManager.settled();
    assert.ok(t.app.httpsManager.ports.https, 'nothing happens before the poll');
    clock.advance(1);
    await t.app.httpsManager.settled();
    assert.equal(t.app.httpsManager.ports.https, null, 'HTTPS listener closed');
    const res = await request(httpUrl, { headers: t.s.headers });
    assert.equal(res.status, 200, 'served over HTTP again, no redirect');
  } finally {
    await t.close();
  }
});

test('bin/certdesk.js --help (the npx entry point) when the server is built', async (t) => {
  const root = path.resolve(serverDir, '..');
  if (!fs.existsSync(path.join(serverDir, 'dist/cli.js'))) {
    console.warn(
      'SKIPPED: server/dist/cli.js is not built (npm run build -w server); bin/certdesk.js not exercised.',
    );
    t.skip('server not built');
    return;
  }
  const { stdout } = await run(process.execPath, [path.join(root, 'bin/certdesk.js'), '--help'], {
    cwd: root,
    timeout: 30_000,
  });
  assert.match(stdout, /reset-https/);
});
