import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { createTestApp, login } from '../support/app.js';
import { addBinding } from '../support/seed.js';
import { request, seedCertificate, TlsPki, trustRoot } from '../support/tls-seed.js';

/**
 * Connections on the HTTPS port are routed by the name they ask for to one TLS server per certificate
 * (tls/listeners.ts): an RSA default and an ECDSA binding side by side, and the HTTP protections (the
 * request timeout) hold on a routed connection as on the default one.
 */
const pki = new TlsPki();
after(() => pki.cleanup());

/** Sends the start of a request and never finishes it: what the server answers, or '' when it just closes. */
function slowRequest(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: pki.root.certPem }, () =>
      socket.write(`GET /api/health HTTP/1.1\r\nHost: ${servername}\r\n`),
    );
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    setTimeout(() => reject(new Error('the server kept the slow request open')), 15_000).unref();
  });
}

describe('SNI routing on the HTTPS port', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let port: number;
  let rsaDefault: number;
  let ecBound: number;

  before(async () => {
    t = await createTestApp({
      CERTDESK_HTTP_PORT: '0',
      CERTDESK_HTTPS_PORT: '0',
      CERTDESK_REQUEST_TIMEOUT_SECONDS: '1',
      CERTDESK_TLS_HANDSHAKE_TIMEOUT_MS: '500',
    });
    await t.app.httpsManager.start();
    const s = await login(t.app);
    trustRoot(t.app, pki);
    rsaDefault = seedCertificate(t.app, pki, pki.leaf(['localhost']));
    ecBound = seedCertificate(t.app, pki, pki.leaf(['ec.example.test'], { key: 'ec256' }));
    addBinding(t.app, 'ec.example.test', ecBound);
    const res = await request(`http://localhost:${t.app.httpsManager.ports.http}/api/settings/server`, {
      method: 'PUT',
      headers: s.headers,
      body: { httpsEnabled: true, activeCertificateId: rsaDefault, serverNames: ['localhost'] },
    });
    assert.equal(res.status, 202, res.body);
    port = t.app.httpsManager.ports.https!;
  });
  after(() => t.close());

  const thumb = (id: number) => t.app.certificates.get(id)!.thumbprint_sha1;
  const get = (servername: string) =>
    request(`https://127.0.0.1:${port}/api/health`, { ca: pki.root.certPem, servername });

  test('each name gets its own certificate, whatever its key type; other names and no SNI get the default', async () => {
    assert.equal((await get('ec.example.test')).thumbprint, thumb(ecBound));
    assert.equal((await get('localhost')).thumbprint, thumb(rsaDefault));
    const noSni = await request(`https://127.0.0.1:${port}/api/health`, { rejectUnauthorized: false });
    assert.equal(noSni.thumbprint, thumb(rsaDefault), 'an address without a name gets the default');
    assert.equal((await get('ec.example.test')).status, 200);
  });

  test('a slow request over a routed connection is cut off by the request timeout, as on the default', async () => {
    assert.match(await slowRequest(port, 'ec.example.test'), /^$|^HTTP\/1\.1 408/);
    assert.match(await slowRequest(port, 'localhost'), /^$|^HTTP\/1\.1 408/);
  });

  test('with bindings the ClientHello is read first: a peer that sends nothing, or half of one, is closed after the handshake timeout', async () => {
    const closedWithin = (bytes: Buffer | null) =>
      new Promise<number>((resolve, reject) => {
        const t0 = Date.now();
        const socket = net.connect(port, '127.0.0.1', () => {
          if (bytes) socket.write(bytes);
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Date.now() - t0));
        setTimeout(() => reject(new Error('the server kept the connection open')), 5_000).unref();
      });
    // Nothing; half a record header; a record header announcing a ClientHello that never comes.
    const waits = await Promise.all([
      closedWithin(null),
      closedWithin(Buffer.from([0x16, 0x03, 0x01])),
      closedWithin(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01])),
    ]);
    for (const ms of waits) assert.ok(ms >= 400 && ms < 4_000, `closed after ${ms} ms`);
    assert.equal((await get('ec.example.test')).thumbprint, thumb(ecBound), 'and the port still routes');
  });
});
