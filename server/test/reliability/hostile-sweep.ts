import type { RouteOptions } from 'fastify';
import { createTestApp, login, multipart, type Session, type TestApp } from '../support/app.js';

/**
 * Hostile-input sweep over every registered /api route, signed in with a valid CSRF token: whatever a
 * client sends, the answer must be a 4xx (or a 2xx) with a code, never a 500, and the server keeps answering.
 * Used by the test suite and by `npm run bench` (which writes the counts to bench/results/hostile.md).
 */
export interface SweepReport {
  routes: number;
  requests: number;
  statuses: Record<string, number>;
  failures: string[];
  stillServing: boolean;
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const BAD_IDS = [
  '0',
  '-1',
  'abc',
  '1e999',
  '99999999999999999999999',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '1;DROP TABLE certificates',
  '%E2%80%AE1',
];
const BAD_QUERIES = [
  'limit=-5&offset=abc',
  'limit=100000',
  'sort=;DROP TABLE x&order=sideways',
  'q=%00%FF&status[]=x',
  `q=${'a'.repeat(5000)}`,
  'offset=1e400',
];

type Probe = {
  label: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
};

function probesFor(method: string, url: string): Probe[] {
  const probes: Probe[] = [];
  const concrete = url.replace(/:[A-Za-z]+/g, '1');
  if (url.includes(':')) {
    for (const id of BAD_IDS) probes.push({ label: `id ${id}`, method, url: url.replace(/:[A-Za-z]+/g, id) });
  }
  if (method === 'GET') {
    for (const q of BAD_QUERIES)
      probes.push({ label: `query ${q.slice(0, 30)}`, method, url: `${concrete}?${q}` });
    return probes;
  }
  const json = { 'content-type': 'application/json' };
  probes.push(
    { label: 'truncated json', method, url: concrete, headers: json, payload: '{"name": "x", "password' },
    { label: 'nested json', method, url: concrete, headers: json, payload: nested(5000) },
    { label: 'array body', method, url: concrete, headers: json, payload: '[1,2,3]' },
    {
      label: 'wrong types',
      method,
      url: concrete,
      headers: json,
      payload: JSON.stringify({
        name: { $gt: '' },
        password: 1,
        format: [],
        certificateId: 'x',
        hostname: null,
        commonName: 42,
      }),
    },
    {
      label: 'proto pollution',
      method,
      url: concrete,
      headers: json,
      payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
    },
    {
      label: 'oversized json',
      method,
      url: concrete,
      headers: json,
      payload: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
    },
    {
      label: 'text/plain',
      method,
      url: concrete,
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    },
    {
      label: 'binary octet-stream',
      method,
      url: concrete,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(100, 0xff),
    },
  );
  const manyParts = multipart(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, value: 'x' })));
  probes.push({
    label: '300 multipart parts',
    method,
    url: concrete,
    headers: manyParts.headers,
    payload: manyParts.payload,
  });
  const bigFile = multipart([
    { name: 'file', filename: 'big.pem', data: Buffer.alloc(2 * 1024 * 1024, 0x41) },
  ]);
  probes.push({
    label: '2 MiB file',
    method,
    url: concrete,
    headers: bigFile.headers,
    payload: bigFile.payload,
  });
  const junkFile = multipart([
    {
      name: 'file',
      filename: '../../etc/passwd',
      data: Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    },
    { name: 'password', value: '\u0000\uFFFF' },
  ]);
  probes.push({
    label: 'junk certificate upload',
    method,
    url: concrete,
    headers: junkFile.headers,
    payload: junkFile.payload,
  });
  const badBoundary = { 'content-type': 'multipart/form-data; boundary=nothing' };
  probes.push({
    label: 'broken multipart',
    method,
    url: concrete,
    headers: badBoundary,
    payload: '--nothing\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
  });
  return probes;
}

export async function runHostileSweep(): Promise<SweepReport> {
  const routes: { method: string; url: string }[] = [];
  const { app, close } = await createTestApp(
    {},
    {
      onRoute: (r: RouteOptions) => {
        for (const method of [r.method].flat()) {
          if (
            method === 'HEAD' ||
            method === 'OPTIONS' ||
            !r.url.startsWith('/api') ||
            r.url.startsWith('/api/docs')
          )
            continue;
          routes.push({ method, url: r.url });
        }
      },
    },
  );
  try {
    const session = await login(app);
    return await sweep(app, session, routes);
  } finally {
    await close();
  }
}

async function sweep(
  app: TestApp,
  session: Session,
  routes: { method: string; url: string }[],
): Promise<SweepReport> {
  const counts = new Map<number, number>();
  const failures: string[] = [];
  let sent = 0;
  for (const { method, url } of routes) {
    // Would end the sweep's own session.
    if (url === '/api/auth/logout' || url === '/api/auth/logout-all') continue;
    for (const p of probesFor(method, url)) {
      const res = await app.inject({
        method: p.method as 'GET',
        url: p.url,
        headers: { ...session.headers, ...p.headers },
        payload: p.payload,
      });
      sent++;
      counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500)
        failures.push(`${method} ${url} [${p.label}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400) {
        const body = (() => {
          try {
            return res.json() as { code?: string; message?: string };
          } catch {
            return {};
          }
        })();
        if (!body.code || !body.message)
          failures.push(`${method} ${url} [${p.label}] → ${res.statusCode} without code/message`);
      }
    }
  }
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  return {
    routes: routes.length,
    requests: sent,
    statuses: Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
    failures,
    stillServing: health.statusCode === 200,
  };
}
