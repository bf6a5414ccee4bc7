import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, login } from '../support/app.js';
import { request, seedCertificate, TlsPki, trustRoot } from '../support/tls-seed.js';

/**
 * Red-team finding: TCP connections to the HTTPS port that never send a byte (or send half a ClientHello
 * and go quiet) stayed in CLOSE-WAIT for ever after the handshake timeout, and ~22,000 of them stopped
 * both listeners. The server must drop them once the handshake timeout passes, and cap connections.
 */
const pki = new TlsPki();
after(() => pki.cleanup());

function openSockets(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
  );
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', () => {}); // the server closing on us is the point of the test
    socket.once('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  for (const end = Date.now() + limitMs; Date.now() < end; ) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

describe('silent and half-open connections on the HTTPS listener', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let port: number;

  before(async () => {
    t = await createTestApp({
      CERTDESK_HTTP_PORT: '0',
      CERTDESK_HTTPS_PORT: '0',
      CERTDESK_TLS_HANDSHAKE_TIMEOUT_MS: '300',
      CERTDESK_MAX_CONNECTIONS: '40',
    });
    await t.app.httpsManager.start();
    const s = await login(t.app);
    trustRoot(t.app, pki);
    const id = seedCertificate(t.app, pki, pki.leaf(['localhost']));
    const res = await request(`http://localhost:${t.app.httpsManager.ports.http}/api/settings/server`, {
      method: 'PUT',
      headers: s.headers,
      body: { httpsEnabled: true, activeCertificateId: id, serverNames: ['localhost'] },
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
  });
  after(() => t.close());

  test('sockets that never finish a handshake are closed by the server after the handshake timeout', async () => {
    const server = t.app.httpsManager.listeners.https!.server;
    const silent = await Promise.all(Array.from({ length: 15 }, () => connect(port)));
    // Half a TLS record header: the handshake starts and never completes.
    const halfOpen = await Promise.all(Array.from({ length: 15 }, () => connect(port)));
    for (const s of halfOpen) s.write(Buffer.from([0x16, 0x03, 0x01, 0x02]));
    const closedByServer = Promise.all(
      [...silent, ...halfOpen].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))),
    );
    assert.ok(
      await waitFor(async () => (await openSockets(server)) >= 30, 2_000),
      'the connections were accepted',
    );
    const drained = await waitFor(async () => (await openSockets(server)) === 0, 5_000);
    assert.ok(drained, `server still holds ${await openSockets(server)} sockets past the handshake timeout`);
    // The peers see the close too: nothing is left half-closed on either side.
    await closedByServer;
    const health = await request(`https://localhost:${port}/api/health`, {
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(health.status, 200);
  });

  test('a flood past the connection cap is refused while the cap holds, and the server answers afterwards', async () => {
    const server = t.app.httpsManager.listeners.https!.server;
    const flood = await Promise.all(Array.from({ length: 60 }, () => connect(port).catch(() => null)));
    await sleep(100);
    assert.ok((await openSockets(server)) <= 40, `cap of 40 held (${await openSockets(server)} open)`);
    for (const s of flood) s?.destroy();
    await waitFor(async () => (await openSockets(server)) === 0, 5_000);
    const health = await request(`https://localhost:${port}/api/health`, {
      ca: pki.root.certPem,
      servername: 'localhost',
    });
    assert.equal(health.status, 200);
  });
});
