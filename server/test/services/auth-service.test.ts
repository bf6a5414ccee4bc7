import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.js';

// A regression found in review: an unlimited password oracle.
let app: TestApp;
let close: () => Promise<void>;

before(async () => {
  ({ app, close } = await createTestApp());
});
after(async () => close());

test('re-authentication for key exports backs off after repeated wrong passwords (429)', async () => {
  // Every key-export route (CSR key, certificate key/PFX, convert with key) calls this one service method.
  const user = { id: 1, username: 'admin' };
  let last = 0;
  for (let i = 0; i < 7; i++) {
    try {
      await app.auth.reauthenticate(user, `wrong-${i}`, '127.0.0.1');
    } catch (err) {
      last = (err as { statusCode: number }).statusCode;
    }
  }
  assert.equal(last, 429, 'locked out after repeated failures');
});
