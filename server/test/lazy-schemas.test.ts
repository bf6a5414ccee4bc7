import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { LazySchemas, lazySchemaOptions, refuseAttachValidation } from '../src/lazy-schemas.js';
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
  // maxLength -1 fails only Ajv's meta-schema check, which Ajv skips when it compiles the same object again.
  const broken = { type: 'object', properties: { n: { type: 'string', maxLength: -1 } } } as const;

  async function appWithBrokenRoute() {
    const schemas = new LazySchemas();
    const fastify = Fastify({ ...lazySchemaOptions(schemas), logger: false });
    fastify.get('/broken', { schema: { querystring: broken } }, async () => ({ ok: true }));
    await fastify.ready();
    return { schemas, fastify };
  }

  test('the app starts; compileRemaining names each route (GET and its HEAD); every request answers 500, never validated by a half-checked schema', async () => {
    const { schemas, fastify } = await appWithBrokenRoute();
    try {
      const failed = await schemas.compileRemaining();
      assert.deepEqual(failed.map((f) => f.route).sort(), [
        'GET /broken (querystring)',
        'HEAD /broken (querystring)',
      ]);
      assert.match(failed[0]?.error.message ?? '', /maxLength/);
      assert.equal(schemas.remaining, 0);
      for (const method of ['GET', 'GET', 'HEAD', 'GET'] as const) {
        const res = await fastify.inject({ method, url: '/broken?n=1' });
        assert.equal(res.statusCode, 500, `${method}: ${res.body}`);
      }
    } finally {
      await fastify.close();
    }
  });

  test('a first request before compileRemaining: 500, and 500 again on the next one', async () => {
    const { fastify } = await appWithBrokenRoute();
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await fastify.inject({ method: 'GET', url: '/broken?n=1' })).statusCode, 500);
    } finally {
      await fastify.close();
    }
  });

  test('attachValidation is refused when the route is added (it would run the handler unvalidated)', async () => {
    const fastify = Fastify({ logger: false });
    fastify.addHook('onRoute', refuseAttachValidation);
    assert.throws(
      () =>
        fastify.get(
          '/attached',
          { attachValidation: true, schema: { querystring: broken } },
          async () => ({}),
        ),
      /attachValidation is not allowed/,
    );
    await fastify.close();
  });
});
