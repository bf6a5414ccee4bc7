import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '../support/app.js';
import { runHostileSweep } from './hostile-sweep.js';

test('no route answers 500 or a bodyless error to hostile input', async () => {
  const report = await runHostileSweep();
  console.log(
    `hostile sweep: ${report.requests} requests over ${report.routes} routes; statuses ${JSON.stringify(report.statuses)}`,
  );
  assert.ok(report.routes >= 10);
  assert.ok(report.stillServing, 'server still answers');
  assert.deepEqual(report.failures, []);
});

test('a client that trickles its body is cut off by the request timeout; others are still served', {
  timeout: 30_000,
}, async () => {
  const net = await import('node:net');
  const t = await createTestApp({ CERTDESK_REQUEST_TIMEOUT_SECONDS: '2', CERTDESK_HTTP_PORT: '0' });
  try {
    // The listeners production uses (server.ts starts them the same way).
    await t.app.httpsManager.start();
    const port = t.app.httpsManager.ports.http as number;
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.write(
          'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
        );
        const drip = setInterval(() => sock.write(' '), 300);
        sock.on('close', () => {
          clearInterval(drip);
          resolve(Date.now() - started);
        });
      });
      sock.on('error', () => {});
      sock.resume();
    });
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(health.status, 200);
    assert.ok(closedAfter < 10_000, `slow client held the connection ${closedAfter} ms`);
    console.log(`slow body: connection closed after ${closedAfter} ms (request timeout 2 s)`);
  } finally {
    await t.close();
  }
});
