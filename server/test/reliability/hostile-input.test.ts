import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RouteOptions } from 'fastify';
import { createTestApp, login, multipart, type Session, type TestApp } from '../support/app.js';

/**
 * Hostile-input sweep over every registered /api route, signed in with a valid CSRF token: whatever a
 * client sends, the answer is a 4xx (or a 2xx) with a code, never a 500, and the server keeps answering.
 */
let app: TestApp;
let close: () => Promise<void>;
let session: Session;
const routes: { method: string; url: string }[] = [];

before(async () => {
  ({ app, close } = await createTestApp({}, {
    onRoute: (r: RouteOptions) => {
      for (const method of [r.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS' || !r.url.startsWith('/api') || r.url.startsWith('/api/docs')) continue;
        routes.push({ method, url: r.url });
      }
    },
  }));
  session = await login(app);
});
after(() => close());

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const BAD_IDS = ['0', '-1', 'abc', '1e999', '99999999999999999999999', '..%2F..%2Fetc%2Fpasswd', '%00', '1;DROP TABLE certificates', '%E2%80%AE1'];
const BAD_QUERIES = ['limit=-5&offset=abc', 'limit=100000', 'sort=;DROP TABLE x&order=sideways', 'q=%00%FF&status[]=x', 'q=' + 'a'.repeat(5000), 'offset=1e400'];

type Probe = { label: string; method: string; url: string; headers?: Record<string, string>; payload?: string | Buffer };

function probesFor(method: string, url: string): Probe[] {
  const probes: Probe[] = [];
  const concrete = url.replace(/:[A-Za-z]+/g, '1');
  if (url.includes(':')) {
    for (const id of BAD_IDS) probes.push({ label: `id ${id}`, method, url: url.replace(/:[A-Za-z]+/g, id) });
  }
  if (method === 'GET') {
    for (const q of BAD_QUERIES) probes.push({ label: `query ${q.slice(0, 30)}`, method, url: `${concrete}?${q}` });
    return probes;
  }
  const json = { 'content-type': 'application/json' };
  probes.push(
    { label: 'truncated json', method, url: concrete, headers: json, payload: '{"name": "x", "password' },
    { label: 'nested json', method, url: concrete, headers: json, payload: nested(5000) },
    { label: 'array body', method, url: concrete, headers: json, payload: '[1,2,3]' },
    { label: 'wrong types', method, url: concrete, headers: json, payload: JSON.stringify({ name: { $gt: '' }, password: 1, format: [], certificateId: 'x', hostname: null, commonName: 42 }) },
    { label: 'proto pollution', method, url: concrete, headers: json, payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
    { label: 'oversized json', method, url: concrete, headers: json, payload: JSON.stringify({ name: 'x'.repeat(300 * 1024) }) },
    { label: 'text/plain', method, url: concrete, headers: { 'content-type': 'text/plain' }, payload: 'hello' },
    { label: 'binary octet-stream', method, url: concrete, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(100, 0xff) },
  );
  const manyParts = multipart(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, value: 'x' })));
  probes.push({ label: '300 multipart parts', method, url: concrete, headers: manyParts.headers, payload: manyParts.payload });
  const bigFile = multipart([{ name: 'file', filename: 'big.pem', data: Buffer.alloc(2 * 1024 * 1024, 0x41) }]);
  probes.push({ label: '2 MiB file', method, url: concrete, headers: bigFile.headers, payload: bigFile.payload });
  const junkFile = multipart([{ name: 'file', filename: '../../etc/passwd', data: Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n') }, { name: 'password', value: '\u0000\uFFFF' }]);
  probes.push({ label: 'junk certificate upload', method, url: concrete, headers: junkFile.headers, payload: junkFile.payload });
  const badBoundary = { 'content-type': 'multipart/form-data; boundary=nothing' };
  probes.push({ label: 'broken multipart', method, url: concrete, headers: badBoundary, payload: '--nothing\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc' });
  return probes;
}

test('no route answers 500 or a bodyless error to hostile input', async () => {
  assert.ok(routes.length >= 10);
  const counts = new Map<number, number>();
  const failures: string[] = [];
  let sent = 0;
  for (const { method, url } of routes) {
    if (url === '/api/auth/logout') continue; // would end the sweep's own session
    for (const p of probesFor(method, url)) {
      const res = await app.inject({ method: p.method as 'GET', url: p.url, headers: { ...session.headers, ...p.headers }, payload: p.payload });
      sent++;
      counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500) failures.push(`${method} ${url} [${p.label}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400) {
        const body = (() => { try { return res.json() as { code?: string; message?: string }; } catch { return {}; } })();
        if (!body.code || !body.message) failures.push(`${method} ${url} [${p.label}] → ${res.statusCode} without code/message`);
      }
    }
  }
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  assert.equal(health.statusCode, 200, 'server still answers');
  console.log(`hostile sweep: ${sent} requests over ${routes.length} routes; statuses ${JSON.stringify(Object.fromEntries([...counts].sort()))}`);
  assert.deepEqual(failures, []);
});

test('a client that trickles its body is cut off by the request timeout; others are still served', { timeout: 30_000 }, async () => {
  const net = await import('node:net');
  const t = await createTestApp({ CERTDESK_REQUEST_TIMEOUT_SECONDS: '2', CERTDESK_HTTP_PORT: '0' });
  try {
    // The listeners production uses (server.ts starts them the same way).
    await t.app.httpsManager.start();
    const port = t.app.httpsManager.ports.http as number;
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
        const drip = setInterval(() => sock.write(' '), 300);
        sock.on('close', () => { clearInterval(drip); resolve(Date.now() - started); });
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
