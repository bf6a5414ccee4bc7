import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RouteOptions } from 'fastify';
import { createTestApp, login, type TestApp } from '../../support/app.js';

/** The only routes that answer without a session or token (API.md). */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'GET /api/setup', 'POST /api/setup']);

describe('every API route requires authentication', () => {
  const routes: { method: string; url: string }[] = [];
  let app: TestApp;
  let close: () => Promise<void>;

  before(async () => {
    const t = await createTestApp(
      {},
      {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) {
            if (method === 'HEAD' || !r.url.startsWith('/api')) continue;
            routes.push({ method, url: r.url });
          }
        },
      },
    );
    app = t.app;
    close = t.close;
  });
  after(() => close());

  test('walks a non-trivial route table', () => {
    assert.ok(routes.length >= 10, `only ${routes.length} routes seen`);
  });

  test('anonymous requests get 401 everywhere but health, login and setup', async () => {
    const failures: string[] = [];
    for (const { method, url } of routes) {
      const key = `${method} ${url}`;
      const concrete = url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x');
      const res = await app.inject({
        method: method as 'GET',
        url: concrete,
        payload: method === 'GET' || method === 'DELETE' ? undefined : {},
      });
      if (PUBLIC.has(key)) {
        if (res.statusCode === 401) failures.push(`${key} is public but answered 401`);
      } else if (res.statusCode !== 401) {
        failures.push(`${key} answered ${res.statusCode} without auth`);
      } else if (!(res.json() as { code?: string }).code) {
        failures.push(`${key} 401 without a code`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the OpenAPI document lists every route', async () => {
    const session = await login(app);
    const res = await app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { cookie: session.cookie },
    });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
    const missing: string[] = [];
    for (const { method, url } of routes) {
      if (url === '/api/openapi.json' || url.startsWith('/api/docs')) continue;
      const path = url.replace(/:([A-Za-z]+)/g, '{$1}');
      if (!doc.paths[path]?.[method.toLowerCase()]) missing.push(`${method} ${url}`);
    }
    assert.deepEqual(missing, []);
  });
});
