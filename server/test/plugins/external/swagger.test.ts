import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, login } from '../../support/app.js';

test('the OpenAPI document describes every inventory route', async () => {
  const { app, close } = await createTestApp();
  try {
    const session = await login(app);
    const res = await app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { cookie: session.cookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    const paths = (res.json() as { paths: Record<string, Record<string, unknown>> }).paths;
    const expected: [string, string][] = [
      ['/api/certificates', 'get'],
      ['/api/certificates/{id}', 'get'],
      ['/api/certificates/{id}', 'delete'],
      ['/api/certificates/{id}/export', 'post'],
      ['/api/certificates/{id}/promote', 'post'],
      ['/api/certificates/{id}/restore', 'post'],
      ['/api/dashboard', 'get'],
      ['/api/settings/expiry', 'get'],
      ['/api/settings/expiry', 'put'],
    ];
    for (const [path, method] of expected)
      assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  } finally {
    await close();
  }
});
