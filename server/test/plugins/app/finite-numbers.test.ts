import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { mayHoldNumber, needsFiniteCheck } from '../../../src/plugins/app/finite-numbers.js';
import { createTestApp, login } from '../../support/app.js';

test('a schema may hold a number unless the walk proves it cannot', () => {
  assert.equal(mayHoldNumber(Type.Object({ name: Type.String() }), false), false);
  assert.equal(mayHoldNumber(Type.Object({ name: Type.String() }), true), true, 'undeclared JSON fields');
  assert.equal(
    mayHoldNumber(Type.Object({ name: Type.String() }, { additionalProperties: false }), true),
    false,
  );
  assert.equal(mayHoldNumber(Type.Object({ limit: Type.Integer() }), false), true);
  assert.equal(mayHoldNumber(Type.Object({ ids: Type.Array(Type.Number()) }), false), true);
  assert.equal(mayHoldNumber(Type.Object({ tags: Type.Array(Type.String()) }), false), false);
  assert.equal(mayHoldNumber(Type.Union([Type.Literal('a'), Type.Literal(2)]), false), false, 'fixed values');
  assert.equal(mayHoldNumber(Type.Union([Type.String(), Type.Number()]), false), true);
  assert.equal(mayHoldNumber(Type.Record(Type.String(), Type.Number()), false), true);
  assert.equal(mayHoldNumber({}, false), true, 'an untyped schema admits anything');
  assert.equal(mayHoldNumber({ $ref: 'Thing#' }, false), true, 'a reference is not followed');
  assert.equal(mayHoldNumber({ type: 'array' }, false), true, 'items unknown');
  const tuple = { type: 'array', items: [{ type: 'string' }] };
  assert.equal(mayHoldNumber(tuple, false), true, 'a draft-07 tuple leaves later items unchecked');
  assert.equal(mayHoldNumber({ type: 'string', not: { const: 'x' } }, false), true, 'keywords not walked');
  assert.equal(mayHoldNumber({ type: 'object', if: {}, else: {} }, false), true);
});

test('the check runs on routes whose input can hold a number, and only there', () => {
  assert.equal(needsFiniteCheck({ method: 'GET', schema: {} }), false, 'GET /api/health');
  assert.equal(
    needsFiniteCheck({ method: 'GET', schema: { params: Type.Object({ id: Type.String() }) } }),
    false,
  );
  assert.equal(
    needsFiniteCheck({ method: 'GET', schema: { params: Type.Object({ id: Type.Integer() }) } }),
    true,
  );
  assert.equal(
    needsFiniteCheck({ method: 'GET', schema: { querystring: Type.Object({ offset: Type.Integer() }) } }),
    true,
  );
  assert.equal(needsFiniteCheck({ method: 'POST' }), true, 'no body schema: JSON.parse makes 1e400 Infinity');
  assert.equal(needsFiniteCheck({ method: ['GET', 'HEAD'] }), false);
  assert.equal(
    needsFiniteCheck({
      method: 'PUT',
      schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) },
    }),
    false,
  );
});

test('1e400 is refused (400 VALIDATION_ERROR) in a query and a JSON body; health runs no preHandler', async () => {
  const { app, close } = await createTestApp();
  try {
    const session = await login(app);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    const query = await app.inject({ method: 'GET', url: '/api/certificates?offset=1e400', headers });
    assert.equal(query.statusCode, 400, query.body);
    assert.equal(query.json().code, 'VALIDATION_ERROR');
    const body = await app.inject({
      method: 'PUT',
      url: '/api/settings/server',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"activeCertificateId":1e400}',
    });
    assert.equal(body.statusCode, 400, body.body);
    assert.equal(body.json().code, 'VALIDATION_ERROR');
    const routes = app.printRoutes({ includeHooks: true, commonPrefix: false });
    const section = (route: string) => {
      const start = routes.indexOf(route);
      return routes.slice(start, routes.indexOf('├──', start));
    };
    assert.match(section('/api/health (GET)'), /onRequest/, 'the listing shows hooks');
    assert.doesNotMatch(section('/api/health (GET)'), /preHandler/);
    assert.match(section('/api/certificates (GET)'), /refuseInfinity/);
  } finally {
    await close();
  }
});
