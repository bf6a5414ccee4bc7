import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { LazySchemas, lazySchemaOptions } from '../src/lazy-schemas.js';
import { createTestApp, login, type Session, type TestApp } from './support/app.js';

describe('route schemas compiled on first use', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let app: TestApp;
  let session: Session;

  before(async () => {
    t = await createTestApp();
    app = t.app;
    session = await login(app);
  });
  after(async () => t?.close());

  test('a built app has compiled almost nothing; a request compiles what its route needs', async () => {
    const before = app.schemas.remaining;
    assert.ok(before > 100, `schemas waiting after the build: ${before}`);
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.ok(app.schemas.remaining < before, 'the health answer schema was compiled on its first use');
  });

  test('validation works on first use: coercion and defaults reach the handler, errors are 400 with the field', async () => {
    const list = await app.inject({
      method: 'GET',
      url: '/api/certificates?limit=2&offset=0',
      headers: session.headers,
    });
    assert.equal(list.statusCode, 200, list.body);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/certificates?limit=lots',
      headers: session.headers,
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().code, 'VALIDATION_ERROR');
    assert.match(bad.body, /limit/);
  });

  test('every route schema of the app compiles (what server.ts does in the background once it listens)', async () => {
    const failed = await app.schemas.compileRemaining();
    assert.deepEqual(
      failed.map((f) => `${f.route}: ${f.error.message}`),
      [],
    );
    assert.equal(app.schemas.remaining, 0);
  });
});

describe('a schema that does not compile', () => {
  test('the app still starts; compileRemaining names the route and its request answers 500, not a crash', async () => {
    const schemas = new LazySchemas();
    const fastify = Fastify({ ...lazySchemaOptions(schemas), logger: false });
    fastify.get(
      '/broken',
      { schema: { querystring: { type: 'object', properties: { n: { type: 'no such type' } } } } },
      async () => ({ ok: true }),
    );
    await fastify.ready();
    try {
      const failed = await schemas.compileRemaining();
      // GET and the HEAD route Fastify adds for it
      assert.deepEqual(failed.map((f) => f.route).sort(), [
        'GET /broken (querystring)',
        'HEAD /broken (querystring)',
      ]);
      const res = await fastify.inject({ method: 'GET', url: '/broken?n=1' });
      assert.equal(res.statusCode, 500);
    } finally {
      await fastify.close();
    }
  });
});
