import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, login, multipart } from '../../support/app.js';

/**
 * @fastify/multipart lives only in the upload routes' scopes (its hooks would run on every request):
 * the upload routes still read forms, and a form sent anywhere else is answered as before, by the
 * route's own body schema (the body is left unread), never 415 or 500.
 */
test('forms reach the upload routes; elsewhere a form meets the route body schema as before', async () => {
  const { app, close } = await createTestApp();
  try {
    const session = await login(app);
    const form = multipart([{ name: 'pem', value: 'not a certificate' }]);
    const upload = await app.inject({
      method: 'POST',
      url: '/api/tools/decode',
      headers: { ...session.headers, ...form.headers },
      payload: form.payload,
    });
    assert.notEqual(upload.statusCode, 415, upload.body);
    assert.notEqual(upload.json().code, 'UNSUPPORTED_MEDIA_TYPE', upload.body);

    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/csrs',
      headers: { ...session.headers, ...form.headers },
      payload: form.payload,
    });
    assert.equal(elsewhere.statusCode, 400, elsewhere.body);
    assert.equal(elsewhere.json().code, 'VALIDATION_ERROR', elsewhere.body);

    const health = await app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(health.statusCode, 200);
  } finally {
    await close();
  }
});
