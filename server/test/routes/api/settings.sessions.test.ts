import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, adoptSessionCookie, createTestApp, type Session } from '../../support/app.js';
import { request, seedCertificate, TlsPki, trustRoot } from '../../support/tls-seed.js';

/**
 * Sessions signed in over plain HTTP carry a cookie without `Secure` that may have been read on the
 * wire: once the switch to HTTPS is confirmed they end, and only the confirming browser goes on, under
 * a new session id in a Secure cookie. Real listeners on 127.0.0.1.
 */
const pki = new TlsPki();
after(() => pki.cleanup());

describe('confirming the switch to HTTPS rotates the sessions', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let certId: number;
  let http: string;
  let https: string;
  const tls = { ca: pki.root.certPem, servername: 'localhost' };

  async function signIn(base: string, options = {}): Promise<{ session: Session; setCookie: string }> {
    const res = await request(`${base}/api/auth/login`, {
      method: 'POST',
      body: { username: 'admin', password: ADMIN_PASSWORD },
      ...options,
    });
    assert.equal(res.status, 200, res.body);
    const setCookie = String(res.headers['set-cookie']);
    const cookie = setCookie.split(';')[0] as string;
    const { csrfToken } = JSON.parse(res.body) as { csrfToken: string };
    return { session: { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } }, setCookie };
  }

  const me = (session: Session) => request(`${https}/api/auth/me`, { headers: session.headers, ...tls });

  let confirming: Session;
  let bystander: Session;
  let signedInOverHttps: Session;
  let confirmAnswer: Awaited<ReturnType<typeof request>>;
  let oldCookie: string;

  before(async () => {
    t = await createTestApp({
      CERTDESK_HTTP_PORT: '0',
      CERTDESK_HTTPS_PORT: '0',
      CERTDESK_HTTPS_CONFIRM_SECONDS: '30',
    });
    await t.app.httpsManager.start();
    trustRoot(t.app, pki);
    certId = seedCertificate(t.app, pki, pki.leaf(['localhost']));
    http = `http://localhost:${t.app.httpsManager.ports.http}`;

    const first = await signIn(http);
    assert.doesNotMatch(first.setCookie, /Secure/i, 'a cookie set over HTTP cannot be Secure');
    confirming = first.session;
    bystander = (await signIn(http)).session;

    const put = await request(`${http}/api/settings/server`, {
      method: 'PUT',
      headers: confirming.headers,
      body: { httpsEnabled: true, activeCertificateId: certId, serverNames: ['localhost'] },
    });
    assert.equal(put.status, 202, put.body);
    https = `https://localhost:${t.app.httpsManager.ports.https}`;
    signedInOverHttps = (await signIn(https, tls)).session;

    oldCookie = confirming.cookie;
    confirmAnswer = await request(`${https}/api/settings/server/confirm`, {
      method: 'POST',
      headers: confirming.headers,
      ...tls,
    });
    assert.equal(confirmAnswer.status, 200, confirmAnswer.body);
  });
  after(() => t.close());

  test('the confirming browser gets a new session id in a Secure, HttpOnly cookie', () => {
    const setCookie = String(confirmAnswer.headers['set-cookie']);
    assert.match(setCookie, /Secure/i);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Strict/i);
    assert.ok(adoptSessionCookie(confirming, confirmAnswer.headers['set-cookie']));
    assert.notEqual(confirming.cookie, oldCookie);
  });

  test('it keeps working over HTTPS with the new cookie and its CSRF token', async () => {
    assert.equal((await me(confirming)).status, 200);
    const probe = await request(`${https}/api/settings/server/probe`, {
      method: 'POST',
      headers: confirming.headers,
      ...tls,
    });
    assert.equal(probe.status, 200, probe.body);
  });

  test('the session id it had over HTTP is refused', async () => {
    const old = await request(`${https}/api/auth/me`, { headers: { cookie: oldCookie }, ...tls });
    assert.equal(old.status, 401);
    assert.equal(JSON.parse(old.body).code, 'SESSION_EXPIRED');
  });

  test('every other session signed in over HTTP is ended; one signed in over HTTPS stays', async () => {
    const ended = await me(bystander);
    assert.equal(ended.status, 401);
    assert.equal(JSON.parse(ended.body).code, 'SESSION_EXPIRED');
    assert.equal((await me(signedInOverHttps)).status, 200);
  });

  test('the rotation is audited', () => {
    const rows = t.app.db
      .prepare("SELECT actor, details FROM audit_log WHERE action = 'auth.sessions_secured'")
      .all() as { actor: string; details: string }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actor, 'admin');
    assert.deepEqual(JSON.parse(rows[0]?.details ?? '{}'), { ended: 1 });
  });

  test('a later confirmation while HTTPS is already on (another certificate) leaves sessions alone', async () => {
    const other = seedCertificate(t.app, pki, pki.leaf(['localhost'], { key: 'ec256' }));
    const put = await request(`${https}/api/settings/server`, {
      method: 'PUT',
      headers: confirming.headers,
      body: { activeCertificateId: other },
      ...tls,
    });
    assert.equal(put.status, 202, put.body);
    const res = await request(`${https}/api/settings/server/confirm`, {
      method: 'POST',
      headers: confirming.headers,
      ...tls,
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.equal((await me(confirming)).status, 200);
    assert.equal((await me(signedInOverHttps)).status, 200);
  });
});
