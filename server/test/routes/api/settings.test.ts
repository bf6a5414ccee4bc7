import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';

// A regression found in review: the console could not save the settings it had just read.
let app: TestApp;
let close: () => Promise<void>;
let session: Session;

before(async () => {
  ({ app, close } = await createTestApp());
  session = await login(app);
});
after(async () => close());

test('PUT /api/settings/server accepts the body GET returned (read-only fields ignored)', async () => {
  const got = await app.inject({
    method: 'GET',
    url: '/api/settings/server',
    headers: { cookie: session.cookie },
  });
  assert.equal(got.statusCode, 200);
  const body = { ...got.json(), serverNames: ['console.example.com'] };
  const put = await app.inject({
    method: 'PUT',
    url: '/api/settings/server',
    headers: session.headers,
    payload: body,
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual(put.json().serverNames, ['console.example.com']);
});
