import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import tls from 'node:tls';
import { DEFAULT_VERIFY_TIMING, verifyPauseMs, verifyServed } from '../../src/services/deploy-run.js';
import { makeLeaf, makePki } from '../support/pki.js';

describe('verify pauses (a reload returns before the service swapped its workers)', () => {
  test('production: 50 ms after the first handshake, doubling, never above 0.5 s', () => {
    const pauses = [1, 2, 3, 4, 5, 6, 40].map((n) => verifyPauseMs(DEFAULT_VERIFY_TIMING, n));
    assert.deepEqual(pauses, [50, 100, 200, 400, 500, 500, 500]);
    assert.equal(DEFAULT_VERIFY_TIMING.windowMs, 15_000, 'the same total limit as before');
  });

  test('without firstIntervalMs the pause is constant (the timing tests pass)', () => {
    const timing = { windowMs: 2000, intervalMs: 200, attemptTimeoutMs: 1500 };
    assert.deepEqual(
      [1, 2, 3].map((n) => verifyPauseMs(timing, n)),
      [200, 200, 200],
    );
  });

  test('a service that swaps after two handshakes: the third sees the new certificate', async () => {
    const pki = await makePki();
    const [old, fresh] = [
      await makeLeaf(pki.intermediate, { cn: 'web.test', sans: ['web.test'] }),
      await makeLeaf(pki.intermediate, { cn: 'web.test', sans: ['web.test'] }),
    ];
    let connections = 0;
    const server = tls.createServer({ cert: old.certPem, key: old.keyPem }, (s) => s.end());
    server.on('connection', () => {
      connections++;
      // From the third connection on, as a reloaded service whose new workers took over.
      if (connections === 2) server.setSecureContext({ cert: fresh.certPem, key: fresh.keyPem });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const expected = crypto.createHash('sha256').update(fresh.certDer).digest('hex').toUpperCase();
      const probe = await verifyServed(
        { host: '127.0.0.1', port, serverName: 'web.test' },
        expected,
        DEFAULT_VERIFY_TIMING,
      );
      assert.equal(probe.ok, true, probe.error ?? '');
      assert.equal(probe.attempts, 3);
    } finally {
      server.close();
    }
  });
});
