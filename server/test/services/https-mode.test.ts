import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../../src/build-app.js';
import { writeServerSettings } from '../../src/store/server-settings.js';
import { adoptSessionCookie, createTestApp, login, type Session } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';
import { request, seedCertificate, TlsPki, trustRoot } from '../support/tls-seed.js';

/**
 * HTTPS mode end to end on real listeners (ports 0 → the manager reports what it bound): the
 * lockout-safe switch, confirm over the new listener, revert by timer and by restart, redirect, HSTS.
 */
const pki = new TlsPki();
after(() => pki.cleanup());

type T = Awaited<ReturnType<typeof createTestApp>>;

async function started(env: Record<string, string> = {}, clock?: FakeClock) {
  const t = await createTestApp(
    {
      CERTDESK_HTTP_PORT: '0',
      CERTDESK_HTTPS_PORT: '0',
      CERTDESK_HTTPS_CONFIRM_SECONDS: '30',
      ...env,
    },
    { clock },
  );
  await t.app.httpsManager.start();
  const s = await login(t.app);
  return { ...t, s };
}

/**
 * Ports 0 kept in the stored settings rather than set by the environment (which would win over the
 * settings): for the tests that change a port through PUT.
 */
async function startedWithPortsInSettings() {
  const t = await createTestApp({ CERTDESK_HTTPS_CONFIRM_SECONDS: '30' });
  writeServerSettings(t.app.db, { ...t.app.httpsManager.committed(), httpPort: 0, httpsPort: 0 });
  await t.app.httpsManager.start();
  const s = await login(t.app);
  return { ...t, s };
}

function base(t: T, scheme: 'http' | 'https'): string {
  const p = t.app.httpsManager.ports;
  return `${scheme}://localhost:${scheme === 'http' ? p.http : p.https}`;
}

async function put(t: T, s: Session, body: unknown) {
  return request(`${base(t, 'http')}/api/settings/server`, { method: 'PUT', headers: s.headers, body });
}

async function confirmOverHttps(t: T, s: Session) {
  const res = await request(`${base(t, 'https')}/api/settings/server/confirm`, {
    method: 'POST',
    headers: s.headers,
    ca: pki.root.certPem,
    servername: 'localhost',
  });
  adoptSessionCookie(s, res.headers['set-cookie']); // the switch to HTTPS moves the session to a Secure cookie
  return res;
}

describe('enable HTTPS, confirm over the new listener', () => {
  let t: Awaited<ReturnType<typeof started>>;
  let certId: number;
  before(async () => {
    t = await started();
    trustRoot(t.app, pki);
    certId = seedCertificate(t.app, pki, pki.leaf(['localhost', 'console.example.test']));
  });
  after(() => t.close());

  test('PUT answers 202 with a pending change and opens the HTTPS listener with the chain (no root)', async () => {
    const res = await put(t, t.s, {
      httpsEnabled: true,
      activeCertificateId: certId,
      serverNames: ['localhost'],
    });
    assert.equal(res.status, 202, res.body);
    const body = JSON.parse(res.body);
    assert.ok(body.pendingChange, 'pendingChange is set');
    assert.ok(Date.parse(body.pendingChange.expiresAt) > Date.now());
    assert.equal(body.pendingChange.confirmOver, 'https');
    assert.match(body.pendingChange.confirmUrl, /^https:\/\/localhost:\d+\/settings\?confirm=1$/);
    assert.equal(body.httpsEnabled, false, 'the committed settings are unchanged until confirmed');
    assert.ok(t.app.httpsManager.ports.https, 'HTTPS listener bound');
    // The probe ran after the switch and saw the certificate, verified against the trust anchors.
    const probe = body.lastProbe.results.find((r: { serverName: string }) => r.serverName === 'localhost');
    assert.equal(probe.ok, true, JSON.stringify(probe));
    assert.deepEqual(probe.chainSubjects.slice(0, 2), ['CN=localhost', 'CN=certdesk test intermediate']);
    assert.match(probe.protocol, /^TLSv1\.[23]$/);
  });

  test('no HSTS and no redirect while the change is pending', async () => {
    const res = await request(`${base(t, 'https')}/api/health`, {
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], undefined);
    const plain = await request(`${base(t, 'http')}/api/auth/me`, { headers: t.s.headers });
    assert.equal(plain.status, 200);
  });

  test('a confirmation over plain HTTP is refused with a code', async () => {
    const res = await request(`${base(t, 'http')}/api/settings/server/confirm`, {
      method: 'POST',
      headers: t.s.headers,
    });
    assert.equal(res.status, 409);
    assert.equal(JSON.parse(res.body).code, 'CONFIRM_WRONG_LISTENER');
  });

  test('confirm over HTTPS commits; then HSTS on HTTPS only, HTTP redirects except /api/health', async () => {
    const res = await confirmOverHttps(t, t.s);
    assert.equal(res.status, 200, res.body);
    const body = JSON.parse(res.body);
    assert.equal(body.httpsEnabled, true);
    assert.equal(body.pendingChange, null);
    assert.equal(body.httpsConfirmed, true);

    const secure = await request(`${base(t, 'https')}/api/health`, {
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.match(String(secure.headers['strict-transport-security']), /max-age=\d+/);

    const health = await request(`${base(t, 'http')}/api/health`);
    assert.equal(health.status, 200);
    assert.equal(health.headers['strict-transport-security'], undefined);

    const page = await request(`${base(t, 'http')}/certificates?x=1`, {
      headers: { host: 'localhost:1234' },
    });
    assert.equal(page.status, 302, 'temporary: reset-https must be able to take it back');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(
      page.headers.location,
      `https://localhost:${t.app.httpsManager.ports.https}/certificates?x=1`,
    );
    const post = await request(`${base(t, 'http')}/api/settings/server/probe`, {
      method: 'POST',
      headers: t.s.headers,
    });
    assert.equal(post.status, 307);
  });

  test('request.protocol is https on the HTTPS listener (cookies set there are Secure)', async () => {
    const res = await request(`${base(t, 'https')}/api/auth/login`, {
      method: 'POST',
      body: { username: 'admin', password: 'correct horse battery staple' },
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['set-cookie']), /Secure/i);
  });

  test('changes that cannot lock anyone out apply at once (200): server names, redirect, disabling HTTPS', async () => {
    const https = (path: string, method: string, body?: unknown) =>
      request(`${base(t, 'https')}${path}`, {
        method,
        body,
        headers: t.s.headers,
        ca: pki.root.certPem,
        servername: 'localhost',
      });
    let res = await https('/api/settings/server', 'PUT', {
      serverNames: ['localhost', 'console.example.test'],
    });
    assert.equal(res.status, 200, res.body);
    res = await https('/api/settings/server', 'PUT', { redirectHttp: false });
    assert.equal(res.status, 200, res.body);
    const plain = await request(`${base(t, 'http')}/api/auth/me`, { headers: t.s.headers });
    assert.equal(plain.status, 200, 'no redirect once switched off');
    res = await https('/api/settings/server', 'PUT', { httpsEnabled: false });
    assert.equal(res.status, 200, res.body);
    assert.equal(t.app.httpsManager.ports.https, null);
    const audit = t.app.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'settings.server.%' ORDER BY id")
      .all() as { action: string }[];
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'settings.server.propose',
        'settings.server.confirm',
        'settings.server.update',
        'settings.server.update',
        'settings.server.update',
      ],
    );
  });
});

describe('refusals (422 with a code) leave everything as it was', () => {
  let t: Awaited<ReturnType<typeof started>>;
  let good: number;
  before(async () => {
    t = await startedWithPortsInSettings();
    good = seedCertificate(t.app, pki, pki.leaf(['localhost'], { key: 'ec256' }));
  });
  after(() => t.close());

  const cases: Array<[string, () => unknown, string]> = [
    ['no certificate', () => ({ httpsEnabled: true }), 'HTTPS_CERTIFICATE_REQUIRED'],
    [
      'expired certificate',
      () => ({
        httpsEnabled: true,
        activeCertificateId: seedCertificate(t.app, pki, pki.leaf(['localhost'], { expired: true })),
      }),
      'CERTIFICATE_EXPIRED',
    ],
    [
      'certificate without key',
      () => ({
        httpsEnabled: true,
        activeCertificateId: seedCertificate(t.app, pki, pki.leaf(['localhost']), { withKey: false }),
      }),
      'CERTIFICATE_KEY_MISSING',
    ],
    [
      'certificate covering none of the names',
      () => ({ httpsEnabled: true, activeCertificateId: good, serverNames: ['other.example.test'] }),
      'CERTIFICATE_NAME_MISMATCH',
    ],
    ['same port twice', () => ({ httpPort: 18081, httpsPort: 18081 }), 'PORTS_MUST_DIFFER'],
    [
      'unknown certificate',
      () => ({ httpsEnabled: true, activeCertificateId: 999999 }),
      'CERTIFICATE_NOT_FOUND',
    ],
  ];
  for (const [name, body, code] of cases) {
    test(name, async () => {
      const res = await put(t, t.s, body());
      assert.equal(res.status, 422, res.body);
      const answer = JSON.parse(res.body);
      assert.equal(answer.code, code);
      assert.ok(answer.message.length > 10);
      assert.equal(t.app.httpsManager.ports.https, null);
      assert.equal(t.app.httpsManager.pending(), null);
    });
  }

  test('a server name with a scheme or port is a 400 naming the field', async () => {
    const res = await put(t, t.s, { serverNames: ['https://example.test:8443/'] });
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body).code, 'INVALID_SERVER_NAME');
    assert.equal(JSON.parse(res.body).field, 'serverNames.0');
  });

  test('a port in use is found by binding it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const res = await put(t, t.s, { httpsEnabled: true, activeCertificateId: good, httpsPort: port });
      assert.equal(res.status, 422, res.body);
      assert.equal(JSON.parse(res.body).code, 'PORT_IN_USE');
      assert.equal(t.app.httpsManager.ports.https, null);
      const settings = await request(`${base(t, 'http')}/api/settings/server`, { headers: t.s.headers });
      assert.equal(JSON.parse(settings.body).httpsEnabled, false);
    } finally {
      blocker.close();
    }
  });
});

describe('revert without confirmation (the clock is advanced, not waited for)', () => {
  let clock: FakeClock;
  let t: Awaited<ReturnType<typeof started>>;
  let id: number;
  before(async () => {
    clock = new FakeClock();
    t = await started({ CERTDESK_HTTPS_CONFIRM_SECONDS: '30' }, clock);
    trustRoot(t.app, pki);
    id = seedCertificate(t.app, pki, pki.leaf(['localhost']));
  });
  after(() => t.close());

  async function view() {
    return JSON.parse(
      (await request(`${base(t, 'http')}/api/settings/server`, { headers: t.s.headers })).body,
    );
  }

  test('the window runs out: back to HTTP, GET explains why, a late confirmation is 409', async () => {
    const res = await put(t, t.s, { httpsEnabled: true, activeCertificateId: id });
    assert.equal(res.status, 202, res.body);
    assert.equal(JSON.parse(res.body).pendingChange.expiresAt, new Date(clock.now() + 30_000).toISOString());

    clock.advance(29_999);
    await t.app.httpsManager.settled();
    assert.ok(t.app.httpsManager.ports.https, 'still serving HTTPS one millisecond before the end');
    assert.ok((await view()).pendingChange);

    clock.advance(1);
    await t.app.httpsManager.settled();
    const after = await view();
    assert.equal(after.pendingChange, null);
    assert.equal(after.httpsEnabled, false);
    assert.equal(after.listeners.https, null);
    assert.match(after.lastRevert.reason, /not confirmed over the new address within 30 seconds/);
    assert.deepEqual(after.lastRevert.changes, ['httpsEnabled', 'activeCertificateId']);
    assert.equal(after.lastRevert.at, new Date(clock.now()).toISOString());
    const late = await request(`${base(t, 'http')}/api/settings/server/confirm`, {
      method: 'POST',
      headers: t.s.headers,
    });
    assert.equal(late.status, 409);
    assert.equal(JSON.parse(late.body).code, 'NO_PENDING_CHANGE');
    const audit = t.app.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'settings.server.revert'")
      .get() as { actor: string };
    assert.equal(audit.actor, 'system');
  });

  test('confirmed in the last second of the window: committed, and the timer never fires', async () => {
    const res = await put(t, t.s, { httpsEnabled: true, activeCertificateId: id });
    assert.equal(res.status, 202, res.body);
    clock.advance(29_000);
    assert.equal((await confirmOverHttps(t, t.s)).status, 200);
    clock.advance(10 * 60_000);
    await t.app.httpsManager.settled();
    assert.equal(t.app.httpsManager.pending(), null);
    assert.equal(t.app.httpsManager.committed().httpsEnabled, true);
    assert.equal(t.app.httpsManager.httpsConfirmed, true);
    assert.ok(t.app.httpsManager.ports.https, 'HTTPS stays up');
  });

  test('cancel (DELETE /pending) undoes at once and the window timer is gone', async () => {
    const https = (path: string, method: string, body?: unknown) =>
      request(`${base(t, 'https')}${path}`, {
        method,
        body,
        headers: t.s.headers,
        ca: pki.root.certPem,
        servername: 'localhost',
      });
    const other = seedCertificate(t.app, pki, pki.leaf(['localhost'], { key: 'ec256' }));
    const res = await https('/api/settings/server', 'PUT', { activeCertificateId: other });
    assert.equal(res.status, 202, res.body);
    const cancelled = await https('/api/settings/server/pending', 'DELETE');
    assert.equal(cancelled.status, 200, cancelled.body);
    assert.match(JSON.parse(cancelled.body).lastRevert.reason, /cancelled by the administrator/);
    clock.advance(60_000);
    await t.app.httpsManager.settled();
    assert.equal(t.app.httpsManager.committed().activeCertificateId, id);
    const reverts = t.app.db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.server.revert'")
      .get() as { n: number };
    assert.equal(reverts.n, 2, 'the first window and this cancel; no third revert from a stale timer');
  });
});

describe('revert on the real clock', () => {
  test('a 1 s window runs out end to end and reverts to HTTP', { timeout: 20_000 }, async () => {
    const t = await started({ CERTDESK_HTTPS_CONFIRM_SECONDS: '1' });
    try {
      const id = seedCertificate(t.app, pki, pki.leaf(['localhost']));
      const res = await put(t, t.s, { httpsEnabled: true, activeCertificateId: id });
      assert.equal(res.status, 202, res.body);
      assert.ok(t.app.httpsManager.ports.https);
      // Bounded wait for the real timer; no timing is asserted, only the outcome.
      for (let i = 0; i < 80 && t.app.httpsManager.pending(); i++) await sleep(100);
      await t.app.httpsManager.settled();
      const view = JSON.parse(
        (await request(`${base(t, 'http')}/api/settings/server`, { headers: t.s.headers })).body,
      );
      assert.equal(view.pendingChange, null);
      assert.equal(view.httpsEnabled, false);
      assert.equal(view.listeners.https, null);
      assert.match(view.lastRevert.reason, /not confirmed/);
    } finally {
      await t.close();
    }
  });
});

describe('restart', () => {
  test('comes back in the committed mode; a pending change at restart is dropped and explained', {
    timeout: 30_000,
  }, async () => {
    const t = await started();
    const id = seedCertificate(t.app, pki, pki.leaf(['localhost']));
    const other = seedCertificate(t.app, pki, pki.leaf(['localhost'], { key: 'ec256' }));
    let res = await put(t, t.s, { httpsEnabled: true, activeCertificateId: id });
    assert.equal(res.status, 202);
    assert.equal((await confirmOverHttps(t, t.s)).status, 200);
    // A second change (another certificate) left unconfirmed when the server stops.
    res = await request(`${base(t, 'https')}/api/settings/server`, {
      method: 'PUT',
      headers: t.s.headers,
      body: { activeCertificateId: other },
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(res.status, 202, res.body);
    await t.app.close();

    const again = await buildApp(t.config);
    try {
      await again.httpsManager.start();
      const ports = again.httpsManager.ports;
      assert.ok(ports.https, 'HTTPS is back');
      const served = await request(`https://localhost:${ports.https}/api/health`, {
        ca: pki.root.certPem,
        servername: 'localhost',
      });
      const committedCert = again.certificates.get(id)!;
      assert.equal(
        served.thumbprint,
        committedCert.thumbprint_sha1,
        'the committed certificate, not the pending one',
      );
      const view = JSON.parse(
        (
          await request(`https://localhost:${ports.https}/api/settings/server`, {
            headers: t.s.headers,
            ca: pki.root.certPem,
            servername: 'localhost',
          })
        ).body,
      );
      assert.equal(view.activeCertificateId, id);
      assert.equal(view.pendingChange, null);
      assert.match(view.lastRevert.reason, /restarted/);
    } finally {
      await again.close();
      await t.close().catch(() => undefined);
    }
  });
});
