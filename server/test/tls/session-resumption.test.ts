import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { Listeners } from '../../src/tls/listeners.js';
import type { ServingMaterial } from '../../src/tls/options.js';
import type { Issued as Pem } from '../support/pki.js';
import { TlsPki } from '../support/tls-seed.js';

/**
 * Session resumption on the HTTPS listener (issue 15): a client that holds a session ticket resumes it
 * (no certificate, no private-key operation) after the certificate was hot-swapped, on the default
 * context and on an SNI one, with TLS 1.3 and TLS 1.2. Real sockets on 127.0.0.1, the real listeners.
 */
let pki: TlsPki;
let leaves: Record<'a' | 'b' | 'sniA' | 'sniB' | 'sniEc', Pem>;

const material = (leaf: Pem, certificateId: number): ServingMaterial => ({
  certificateId,
  key: leaf.keyPem,
  cert: leaf.certPem + pki.intermediate.certPem,
});
const sha1 = (leaf: Pem) => crypto.createHash('sha1').update(leaf.cert.raw).digest('hex');

interface Visit {
  reused: boolean;
  /** The last ticket the server sent (a resumed TLS 1.2 session may get none). */
  session: Buffer | undefined;
  /** SHA-1 of the certificate the server presented (for a resumed session: the one of the first visit). */
  served: string;
}

/** One HTTPS request on a new connection: whether it resumed, and the last session ticket the server sent. */
function visit(
  port: number,
  servername: string,
  opts: { session?: Buffer; maxVersion?: tls.SecureVersion } = {},
): Promise<Visit> {
  return new Promise((resolve, reject) => {
    let session: Buffer | undefined;
    let reused = false;
    let served = '';
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername,
      ca: pki.root.certPem,
      session: opts.session,
      maxVersion: opts.maxVersion ?? 'TLSv1.3',
    });
    socket.on('session', (s: Buffer) => {
      session = s;
    });
    socket.once('secureConnect', () => {
      reused = socket.isSessionReused();
      served = socket.getPeerX509Certificate()?.fingerprint.replaceAll(':', '').toLowerCase() ?? '';
      socket.end(`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', () => {});
    socket.once('error', reject);
    socket.once('close', () => {
      resolve({ reused, session, served });
    });
  });
}

describe('TLS session resumption across certificate swaps', () => {
  let listeners: Listeners;
  let port: number;

  before(async () => {
    pki = new TlsPki();
    leaves = {
      a: pki.leaf(['localhost']),
      b: pki.leaf(['localhost'], { key: 'ec256' }),
      sniA: pki.leaf(['api.example.test']),
      sniB: pki.leaf(['api.example.test'], { key: 'ec256' }),
      sniEc: pki.leaf(['api.example.test'], { key: 'ec256' }),
    };
    listeners = new Listeners((_req, res) => res.end('ok'), '127.0.0.1', {
      keepAliveTimeout: 1_000,
      requestTimeout: 5_000,
      handshakeTimeout: 5_000,
      maxConnections: 100,
    });
    await listeners.apply({
      httpPort: 0,
      https: {
        port: 0,
        default: material(leaves.a, 1),
        sni: new Map([['api.example.test', material(leaves.sniA, 3)]]),
      },
    });
    port = listeners.httpsPort!;
  });
  after(async () => {
    await listeners.close();
    pki.cleanup();
  });

  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    test(`${maxVersion}: a session made before a swap resumes after it, default and SNI certificate`, async () => {
      const first = await visit(port, 'localhost', { maxVersion });
      const firstSni = await visit(port, 'api.example.test', { maxVersion });
      assert.ok(first.session && firstSni.session, 'the server issues session tickets');
      assert.equal(first.reused, false);
      assert.equal(first.served, sha1(leaves.a));
      assert.equal(firstSni.served, sha1(leaves.sniA));
      const again = await visit(port, 'localhost', { maxVersion, session: first.session });
      assert.equal(again.reused, true, 'resumes before any swap');

      // Hot swap of both the default and the SNI certificate, as PUT /api/settings/server does.
      await listeners.apply({
        httpPort: listeners.http!.requestedPort,
        https: {
          port: listeners.https!.requestedPort,
          default: material(leaves.b, 2),
          sni: new Map([['api.example.test', material(leaves.sniB, 4)]]),
        },
      });
      const fresh = await visit(port, 'localhost', { maxVersion });
      assert.equal(fresh.served, sha1(leaves.b), 'a new session gets the new certificate');
      assert.equal(fresh.reused, false);
      assert.equal((await visit(port, 'api.example.test', { maxVersion })).served, sha1(leaves.sniB));

      const resumed = await visit(port, 'localhost', { maxVersion, session: first.session });
      assert.equal(resumed.reused, true, 'the ticket issued before the swap still resumes');
      const resumedSni = await visit(port, 'api.example.test', { maxVersion, session: firstSni.session });
      assert.equal(resumedSni.reused, true, 'the SNI ticket issued before the swap still resumes');

      // Back to the first certificates for the next protocol version.
      await listeners.apply({
        httpPort: listeners.http!.requestedPort,
        https: {
          port: listeners.https!.requestedPort,
          default: material(leaves.a, 1),
          sni: new Map([['api.example.test', material(leaves.sniA, 3)]]),
        },
      });
    });
  }

  // Node's SNICallback would add the SNI certificate beside the default one and OpenSSL would pick by key
  // type (nodejs/node#54235); the listeners route by ClientHello to one TLS server per certificate instead.
  test('an SNI certificate of another key type than the default one is served', async () => {
    await listeners.apply({
      httpPort: listeners.http!.requestedPort,
      https: {
        port: listeners.https!.requestedPort,
        default: material(leaves.a, 1),
        sni: new Map([['api.example.test', material(leaves.sniEc, 5)]]),
      },
    });
    assert.equal((await visit(port, 'api.example.test')).served, sha1(leaves.sniEc));
  });
});
