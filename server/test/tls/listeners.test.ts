import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import https from 'node:https';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { readServerSettings, writeServerSettings } from '../../src/store/server-settings.js';
import { adoptSessionCookie, createTestApp, login } from '../support/app.js';
import { request, seedCertificate, TlsPki, trustRoot } from '../support/tls-seed.js';

/** Hot swap without dropping connections, hardened options that survive the swap, SNI bindings. */
const pki = new TlsPki();
after(() => pki.cleanup());

/**
 * What an openssl client negotiates with these options, or null when the server refuses the handshake.
 * Asynchronous on purpose: the server under test runs in this same process.
 */
let lastOutput = '';
function opensslHandshake(port: number, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args],
      {
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('close', () => {
      clearTimeout(timer);
      const m = /Cipher is (\S+)/.exec(out);
      lastOutput = out;
      resolve(m && m[1] !== '(NONE)' ? m[1]! : null);
    });
    child.stdin.end();
  });
}

describe('hot swap and hardened TLS', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let s: Awaited<ReturnType<typeof login>>;
  let a: number;
  let b: number;
  let port: number;
  const thumb = (id: number) => t.app.certificates.get(id)!.thumbprint_sha1;

  before(async () => {
    t = await createTestApp({ CERTDESK_HTTP_PORT: '0', CERTDESK_HTTPS_PORT: '0' });
    await t.app.httpsManager.start();
    s = await login(t.app);
    trustRoot(t.app, pki);
    a = seedCertificate(t.app, pki, pki.leaf(['localhost', 'api.example.test']));
    b = seedCertificate(t.app, pki, pki.leaf(['localhost', 'api.example.test'], { key: 'ec256' }));
    const httpPort = t.app.httpsManager.ports.http;
    const res = await request(`http://localhost:${httpPort}/api/settings/server`, {
      method: 'PUT',
      headers: s.headers,
      body: { httpsEnabled: true, activeCertificateId: a, serverNames: ['localhost'] },
    });
    assert.equal(res.status, 202, res.body);
    port = t.app.httpsManager.ports.https!;
    const ok = await request(`https://localhost:${port}/api/settings/server/confirm`, {
      method: 'POST',
      headers: s.headers,
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(ok.status, 200, ok.body);
    adoptSessionCookie(s, ok.headers['set-cookie']); // the switch to HTTPS moves the session to a Secure cookie
  });
  after(() => t.close());

  test('the hardened options hold before any swap (positive control)', async () => {
    assert.equal(
      await opensslHandshake(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256']),
      'ECDHE-RSA-AES128-GCM-SHA256',
    );
    assert.equal(
      await opensslHandshake(port, ['-tls1_2', '-cipher', 'AES128-GCM-SHA256']),
      null,
      'RSA key exchange refused',
    );
    // The chain sent is the leaf and the intermediate, never the root.
    assert.ok(await opensslHandshake(port, ['-showcerts']));
    assert.equal(lastOutput.split('-----BEGIN CERTIFICATE-----').length - 1, 2, 'leaf + intermediate');
    assert.doesNotMatch(lastOutput, /^ 2 s:/m);
  });

  test('replacing the active certificate: the open keep-alive connection lives on, new connections get the new one', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await request(`https://localhost:${port}/api/health`, {
        ca: pki.root.certPem,
        servername: 'localhost',
        agent,
      });
      assert.equal(first.thumbprint, thumb(a));
      // What the inventory's "replace in place" does: change the committed certificate, then reload().
      writeServerSettings(t.app.db, {
        ...readServerSettings(t.app.db, t.app.httpsManager.committed()),
        activeCertificateId: b,
      });
      await t.app.httpsManager.reload();
      const again = await request(`https://localhost:${port}/api/health`, {
        ca: pki.root.certPem,
        servername: 'localhost',
        agent,
      });
      assert.equal(again.status, 200);
      assert.equal(again.localPort, first.localPort, 'same TCP connection, not dropped');
      assert.equal(again.thumbprint, thumb(a), 'an open connection keeps the certificate it negotiated');
      const fresh = await request(`https://localhost:${port}/api/health`, {
        ca: pki.root.certPem,
        servername: 'localhost',
      });
      assert.equal(fresh.thumbprint, thumb(b));
    } finally {
      agent.destroy();
    }
  });

  test('after the swap: TLS 1.1, a non-ECDHE suite, a CBC suite and P-521 are still refused', async () => {
    assert.equal(
      await opensslHandshake(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384']),
      'ECDHE-ECDSA-AES256-GCM-SHA384',
    );
    assert.equal(await opensslHandshake(port, ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']), null, 'TLS 1.1');
    assert.equal(
      await opensslHandshake(port, ['-tls1_2', '-cipher', 'AES256-GCM-SHA384']),
      null,
      'static RSA',
    );
    assert.equal(
      await opensslHandshake(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256']),
      null,
      'CBC',
    );
    assert.equal(await opensslHandshake(port, ['-tls1_2', '-curves', 'secp521r1']), null, 'P-521 only');
    assert.ok(await opensslHandshake(port, ['-tls1_3']), 'TLS 1.3 works');
  });

  test('a certificate whose key does not load leaves the old one serving and says why', async () => {
    const bad = seedCertificate(t.app, pki, pki.leaf(['localhost']));
    const keyId = t.app.certificates.get(bad)!.key_id!;
    t.app.db.prepare('UPDATE private_keys SET sealed = ? WHERE id = ?').run(crypto.randomBytes(200), keyId);
    const before = readServerSettings(t.app.db, t.app.httpsManager.committed());
    writeServerSettings(t.app.db, { ...before, activeCertificateId: bad });
    await assert.rejects(
      t.app.httpsManager.reload(),
      (err: unknown) =>
        err instanceof AppError && err.code === 'CERTIFICATE_KEY_UNUSABLE' && err.statusCode === 422,
    );
    writeServerSettings(t.app.db, before);
    const still = await request(`https://localhost:${port}/api/health`, {
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(still.thumbprint, thumb(b));
    // Through the API: 422 with the code, nothing pending.
    const res = await request(`https://localhost:${port}/api/settings/server`, {
      method: 'PUT',
      headers: s.headers,
      body: { activeCertificateId: bad },
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(res.status, 422, res.body);
    assert.equal(JSON.parse(res.body).code, 'CERTIFICATE_KEY_UNUSABLE');
    assert.equal(t.app.httpsManager.pending(), null);
  });

  test('SNI bindings: the right certificate per host name, the default otherwise; 422s; delete falls back', async () => {
    const api = (path: string, method = 'GET', body?: unknown) =>
      request(`https://localhost:${port}${path}`, {
        method,
        body,
        headers: s.headers,
        ca: pki.root.certPem,
        servername: 'localhost',
      });
    const other = seedCertificate(t.app, pki, pki.leaf(['other.example.test'], { key: 'ec256' }));
    const rsa = seedCertificate(t.app, pki, pki.leaf(['rsa.example.test']));
    const wild = seedCertificate(t.app, pki, pki.leaf(['*.wild.example.test'], { key: 'ec256' }));
    const keyless = seedCertificate(t.app, pki, pki.leaf(['nokey.example.test']), { withKey: false });

    let res = await api('/api/bindings', 'POST', { hostname: 'other.example.test', certificateId: a });
    assert.equal(res.status, 422);
    assert.equal(JSON.parse(res.body).code, 'CERTIFICATE_NAME_MISMATCH');
    res = await api('/api/bindings', 'POST', { hostname: 'nokey.example.test', certificateId: keyless });
    assert.equal(res.status, 422);
    assert.equal(JSON.parse(res.body).code, 'CERTIFICATE_KEY_MISSING');

    // The default (b) is EC; an RSA certificate is bound beside it (one TLS server per certificate).
    res = await api('/api/bindings', 'POST', { hostname: 'rsa.example.test', certificateId: rsa });
    assert.equal(res.status, 201, res.body);

    res = await api('/api/bindings', 'POST', { hostname: 'Other.Example.Test', certificateId: other });
    assert.equal(res.status, 201, res.body);
    const created = JSON.parse(res.body);
    assert.equal(created.hostname, 'other.example.test');
    assert.equal(created.thumbprintSha1, thumb(other));
    res = await api('/api/bindings', 'POST', { hostname: '*.wild.example.test', certificateId: wild });
    assert.equal(res.status, 201, res.body);
    res = await api('/api/bindings', 'POST', { hostname: 'other.example.test', certificateId: other });
    assert.equal(res.status, 409);

    const sni = (name: string) =>
      request(`https://127.0.0.1:${port}/api/health`, {
        ca: pki.root.certPem,
        servername: name,
        rejectUnauthorized: false,
      });
    assert.equal((await sni('other.example.test')).thumbprint, thumb(other));
    assert.equal((await sni('x.wild.example.test')).thumbprint, thumb(wild));
    assert.equal((await sni('localhost')).thumbprint, thumb(b), 'default certificate');
    assert.equal((await sni('rsa.example.test')).thumbprint, thumb(rsa), 'RSA beside the EC default');
    // Whatever the client prefers, a name gets its own certificate, never the default of the other key
    // type (Node's SNICallback would hand an ECDSA-preferring client the EC default here).
    await opensslHandshake(port, [
      '-servername',
      'rsa.example.test',
      '-sigalgs',
      'ECDSA+SHA256:RSA-PSS+SHA256:RSA+SHA256',
    ]);
    assert.match(lastOutput, /subject=CN\s*=\s*rsa\.example\.test/);
    await opensslHandshake(port, [
      '-servername',
      'other.example.test',
      '-sigalgs',
      'RSA-PSS+SHA256:RSA+SHA256',
    ]);
    assert.doesNotMatch(lastOutput, /subject=CN\s*=\s*localhost/, 'not the default for an RSA-only client');

    const list = JSON.parse((await api('/api/bindings')).body).items;
    assert.deepEqual(
      list.map((i: { hostname: string | null; isDefault: boolean }) => [i.hostname, i.isDefault]),
      [
        [null, true],
        ['*.wild.example.test', false],
        ['other.example.test', false],
        ['rsa.example.test', false],
      ],
    );
    // The address the HTTPS port listens on (the UI shows it, not a made-up 0.0.0.0).
    assert.ok(list.every((i: { address: string }) => i.address === '127.0.0.1'));

    const probe = JSON.parse((await api('/api/settings/server/probe', 'POST')).body);
    const seen = probe.results.find((r: { serverName: string }) => r.serverName === 'other.example.test');
    assert.equal(seen.thumbprintSha1, thumb(other));
    assert.equal(seen.ok, true, JSON.stringify(seen));

    res = await api(`/api/bindings/${created.id}`, 'DELETE');
    assert.equal(res.status, 204);
    assert.equal((await sni('other.example.test')).thumbprint, thumb(b), 'falls back to the default');
    const actions = (
      t.app.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'binding.%'").all() as {
        action: string;
      }[]
    ).map((r) => r.action);
    assert.deepEqual(actions, ['binding.create', 'binding.create', 'binding.create', 'binding.delete']);
  });
});
