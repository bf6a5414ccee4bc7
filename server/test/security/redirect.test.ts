import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, adoptSessionCookie, createTestApp, login, type Session } from '../support/app.js';
import { request, seedCertificate, TlsPki, trustRoot } from '../support/tls-seed.js';

/**
 * Red-team finding: HTTP answered with a 301 (cached by browsers for good) whose Location echoed the Host
 * header. After `certdesk reset-https` the browser kept going to the dead HTTPS port, and any Host a
 * client (or a poisoned cache) sent became the redirect target. The redirect is now temporary, never
 * stored, and points only at names this server is configured for. ACME HTTP-01 paths stay on HTTP.
 */
const pki = new TlsPki();
after(() => pki.cleanup());

type T = Awaited<ReturnType<typeof createTestApp>>;

async function confirmedHttps(
  serverNames: string[],
): Promise<{ t: T; s: Session; http: number; https: number }> {
  const t = await createTestApp({ CERTDESK_HTTP_PORT: '0', CERTDESK_HTTPS_PORT: '0' });
  await t.app.httpsManager.start();
  const s = await login(t.app);
  trustRoot(t.app, pki);
  const id = seedCertificate(t.app, pki, pki.leaf(['localhost', 'console.example.test']));
  const http = t.app.httpsManager.ports.http!;
  const res = await request(`http://127.0.0.1:${http}/api/settings/server`, {
    method: 'PUT',
    headers: s.headers,
    body: { httpsEnabled: true, activeCertificateId: id, serverNames },
  });
  assert.equal(res.status, 202, res.body);
  const https = t.app.httpsManager.ports.https!;
  const ok = await request(`https://localhost:${https}/api/settings/server/confirm`, {
    method: 'POST',
    headers: s.headers,
    ca: pki.root.certPem,
    servername: 'localhost',
  });
  assert.equal(ok.status, 200, ok.body);
  // Confirming moves this browser's session to a new id in a Secure cookie (sessions set over HTTP end).
  assert.ok(adoptSessionCookie(s, ok.headers['set-cookie']), 'the confirm answer rotates the session cookie');
  return { t, s, http, https };
}

/** One request written by hand, for what a normal client cannot send (no Host, absolute-form target). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.end(text));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => (out += c));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('HTTP to HTTPS redirect with server names configured', () => {
  let c: Awaited<ReturnType<typeof confirmedHttps>>;
  before(async () => {
    c = await confirmedHttps(['console.example.test', 'localhost']);
  });
  after(() => c.t.close());

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    request(`http://127.0.0.1:${c.http}${path}`, { method, headers });

  test('a page is a temporary redirect the browser does not store, to the same name on the HTTPS port', async () => {
    const res = await get('/certificates?x=1', { host: 'console.example.test:8080' });
    assert.equal(res.status, 302);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.location, `https://console.example.test:${c.https}/certificates?x=1`);
  });

  test('HEAD is 302 too; POST and PUT are 307 so the method and body are kept', async () => {
    assert.equal((await get('/', { host: 'localhost' }, 'HEAD')).status, 302);
    const post = await get('/api/settings/server/probe', { host: 'localhost' }, 'POST');
    assert.equal(post.status, 307);
    assert.equal(post.headers['cache-control'], 'no-store');
    assert.equal(post.headers.location, `https://localhost:${c.https}/api/settings/server/probe`);
    assert.equal((await get('/api/settings/server', { host: 'localhost' }, 'PUT')).status, 307);
  });

  test('the listen address and the address the connection arrived on keep their name', async () => {
    const res = await get('/settings', { host: `127.0.0.1:${c.http}` });
    assert.equal(res.headers.location, `https://127.0.0.1:${c.https}/settings`);
    const upper = await get('/settings', { host: 'Console.Example.Test.' });
    assert.equal(upper.headers.location, `https://console.example.test:${c.https}/settings`);
  });

  test('a hostile Host header never becomes the Location: the first configured server name does', async () => {
    for (const host of [
      'evil.example',
      'evil.example:443',
      'console.example.test.evil.example',
      '[::2]:80',
    ]) {
      const res = await get('/settings', { host });
      assert.equal(res.status, 302, host);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers.location, `https://console.example.test:${c.https}/settings`, host);
    }
  });

  test('no Host header, or an absolute-form target naming another host, go to the configured name', async () => {
    const http10 = await raw(c.http, 'GET /settings HTTP/1.0\r\n\r\n');
    assert.match(http10, /^HTTP\/1\.1 302/);
    assert.match(
      http10,
      new RegExp(`\\r\\nlocation: https://console\\.example\\.test:${c.https}/settings\\r\\n`, 'i'),
    );
    const absolute = await raw(
      c.http,
      'GET http://evil.example/phish HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    );
    assert.match(absolute, /^HTTP\/1\.1 302/);
    assert.doesNotMatch(absolute, /location: [^\r]*evil/i);
  });

  test('ACME HTTP-01 challenge paths and /api/health stay on plain HTTP', async () => {
    const acme = await get('/.well-known/acme-challenge/some-token', { host: 'console.example.test' });
    assert.notEqual(acme.status, 302);
    assert.notEqual(acme.status, 307);
    assert.equal(acme.headers.location, undefined);
    const post = await get('/.well-known/acme-challenge/x', { host: 'console.example.test' }, 'POST');
    assert.equal(post.headers.location, undefined);
    const health = await get('/api/health', { host: 'evil.example' });
    assert.equal(health.status, 200);
    // Anything else under /.well-known is an ordinary page and is redirected.
    const other = await get('/.well-known/security.txt', { host: 'console.example.test' });
    assert.equal(other.status, 302);
  });

  test('after reset-https the same browser gets HTTP answers again (nothing was cached)', async () => {
    const res = await request(`https://localhost:${c.https}/api/settings/server`, {
      method: 'PUT',
      headers: c.s.headers,
      body: { httpsEnabled: false },
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(res.status, 200, res.body);
    // The same address over HTTP answers instead of redirecting (no cached 301 sends the browser away)…
    const page = await get('/certificates', { host: 'localhost' });
    assert.equal(page.headers.location, undefined);
    assert.notEqual(page.status, 302);
    // …and, its Secure cookie not being sent over plain HTTP, the browser signs in there again.
    const again = await request(`http://127.0.0.1:${c.http}/api/auth/login`, {
      method: 'POST',
      headers: { host: 'localhost' },
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    assert.equal(again.status, 200, again.body);
  });
});

describe('HTTP to HTTPS redirect without server names', () => {
  let c: Awaited<ReturnType<typeof confirmedHttps>>;
  before(async () => {
    c = await confirmedHttps([]);
  });
  after(() => c.t.close());

  test('loopback names still redirect to themselves', async () => {
    const res = await request(`http://127.0.0.1:${c.http}/settings`, {
      headers: { host: `localhost:${c.http}` },
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, `https://localhost:${c.https}/settings`);
  });

  test('an unknown host is a 400 UNKNOWN_HOST with a sentence, not a redirect anywhere', async () => {
    const res = await request(`http://127.0.0.1:${c.http}/settings`, { headers: { host: 'evil.example' } });
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
    const body = JSON.parse(res.body);
    assert.equal(body.code, 'UNKNOWN_HOST');
    assert.match(body.message, /server names/);
    assert.doesNotMatch(body.message, /evil/);
    assert.match(body.message, new RegExp(`https://127\\.0\\.0\\.1:${c.https}/`));
  });
});
