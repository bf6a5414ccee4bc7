import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import {
  API_SECURITY_HEADERS,
  SECURITY_HEADERS,
  securityHeadersFor,
  setSecurityHeaders,
} from '../../../src/plugins/app/security-headers.js';
import { createTestApp, login, tempDir } from '../../support/app.js';
import { writeWebDist } from '../../support/web-dist.js';

/** The options certdesk gave @fastify/helmet before its headers were precomputed (issue 15). */
const HELMET_OPTIONS = {
  hsts: false,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  crossOriginOpenerPolicy: { policy: 'same-origin' as const },
};

/** Headers that describe the body or the connection, not security: left out of the comparison. */
const NOT_SECURITY = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-type',
  'content-length',
  'content-encoding',
  'cache-control',
  'etag',
  'last-modified',
  'accept-ranges',
  'vary',
]);

function securityHeaders(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !NOT_SECURITY.has(name))
      .map(([name, value]): [string, string] => [name, String(value)])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

test('pages carry the security headers @fastify/helmet sent; API answers the API set', async () => {
  const reference = Fastify();
  await reference.register(helmet, HELMET_OPTIONS);
  reference.get('/page', (_request, reply) => reply.type('text/html').send('<!doctype html>'));
  reference.get('/api', () => ({ status: 'ok' }));
  const helmetPage = securityHeaders((await reference.inject('/page')).headers);
  const helmetApi = securityHeaders((await reference.inject('/api')).headers);
  await reference.close();
  assert.deepEqual(helmetPage, helmetApi, 'helmet itself sends the same set whatever the content');
  assert.deepEqual(helmetApi, securityHeaders({ ...SECURITY_HEADERS }));

  const webDist = tempDir('certdesk-web-');
  const { script } = writeWebDist(webDist);
  const { app, close } = await createTestApp({ CERTDESK_WEB_DIST: webDist });
  try {
    for (const url of ['/', '/certificates/12', `/${script}`]) {
      const res = await app.inject({ method: 'GET', url });
      assert.deepEqual(securityHeaders(res.headers), helmetApi, `${url} (${res.statusCode})`);
    }
    for (const url of ['/api/health', '/api/certificates', '/api/nope']) {
      const res = await app.inject({ method: 'GET', url });
      const { 'cache-control': cacheControl, ...rest } = API_SECURITY_HEADERS;
      assert.deepEqual(securityHeaders(res.headers), securityHeaders(rest), `${url} (${res.statusCode})`);
      assert.equal(res.headers['cache-control'], cacheControl, `${url}: answers are not kept in caches`);
      assert.match(String(res.headers['content-type']), /^application\/json/, url);
    }
    // The router decodes %xx before it matches: the same route gets the same set, however it is spelled.
    const session = await login(app);
    const encoded = await app.inject({
      method: 'GET',
      url: '/%61pi/auth/me',
      headers: { cookie: session.cookie },
    });
    assert.equal(encoded.statusCode, 200, encoded.body);
    assert.equal(encoded.headers['cache-control'], 'no-store');
    assert.equal(encoded.headers['content-security-policy'], API_SECURITY_HEADERS['content-security-policy']);
    const html = await app.inject('/');
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.equal(html.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
  } finally {
    await close();
    fs.rmSync(webDist, { recursive: true, force: true });
  }
});

test("a reply without Fastify's internal header object still gets every security header", () => {
  const set: Record<string, string> = {};
  const reply = { headers: (values: Record<string, string>) => Object.assign(set, values) };
  setSecurityHeaders(reply as never);
  assert.deepEqual(set, { ...SECURITY_HEADERS });
});

test('the interactive API docs are a page, so they get the page set; everything else under /api the API set', () => {
  assert.equal(securityHeadersFor('/api/docs'), SECURITY_HEADERS);
  assert.equal(securityHeadersFor('/api/docs/static/index.html'), SECURITY_HEADERS);
  assert.equal(securityHeadersFor('/api/health'), API_SECURITY_HEADERS);
  assert.equal(securityHeadersFor('/api/certificates/1/export?format=pfx'), API_SECURITY_HEADERS);
  assert.equal(securityHeadersFor('/apiary'), SECURITY_HEADERS);
  assert.equal(securityHeadersFor('/'), SECURITY_HEADERS);
  // Stricter than the page set, never looser: nothing may load, nothing may frame it.
  assert.match(API_SECURITY_HEADERS['content-security-policy']!, /default-src 'none'/);
  assert.match(API_SECURITY_HEADERS['content-security-policy']!, /frame-ancestors 'none'/);
});
