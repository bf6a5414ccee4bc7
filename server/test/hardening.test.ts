import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { createTestApp, login, multipart, type Session, type TestApp } from './support/app.js';
import { openssl, scratch } from './support/openssl.js';

// Regressions found in review: each was a 500, a lockout path or an unlimited password oracle.
let app: TestApp;
let close: () => Promise<void>;
let session: Session;
const s = scratch();

before(async () => {
  ({ app, close } = await createTestApp());
  session = await login(app);
});
after(async () => {
  await close();
  s.cleanup();
});

test('an Ed25519 key inside a PFX is refused with 422 UNSUPPORTED_KEY_TYPE, not a 500', async () => {
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', s.file('ed.key')]);
  openssl([
    'pkcs12',
    '-export',
    '-nocerts',
    '-inkey',
    s.file('ed.key'),
    '-passout',
    'pass:pw',
    '-out',
    s.file('ed.pfx'),
  ]);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    s.file('rsa.key'),
    '-out',
    s.file('rsa.pem'),
    '-days',
    '30',
    '-subj',
    '/CN=ed.example.com',
  ]);
  const body = multipart([
    { name: 'file', filename: 'server.crt', data: fs.readFileSync(s.file('rsa.pem')) },
    { name: 'file', filename: 'key.pfx', data: fs.readFileSync(s.file('ed.pfx')) },
    { name: 'password', value: 'pw' },
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/certificates',
    headers: { ...session.headers, ...body.headers },
    payload: body.payload,
  });
  assert.equal(res.statusCode, 422, res.body);
  assert.equal(res.json().code, 'UNSUPPORTED_KEY_TYPE');
});

test('re-authentication for key exports backs off after repeated wrong passwords (429)', async () => {
  // Every key-export route (CSR key, certificate key/PFX, convert with key) calls this one service method.
  const user = { id: 1, username: 'admin' };
  let last = 0;
  for (let i = 0; i < 7; i++) {
    try {
      await app.auth.reauthenticate(user, `wrong-${i}`);
    } catch (err) {
      last = (err as { statusCode: number }).statusCode;
    }
  }
  assert.equal(last, 429, 'locked out after repeated failures');
});

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

test('readPrivateKey turns any random bytes into an AppError (never a RangeError or TypeError)', async () => {
  const { readPrivateKey } = await import('../src/cert/private-key.js');
  const { AppError } = await import('../src/errors.js');
  // Deterministic pseudo-random buffers: about 0.7% start with an ASN.1 tag (e.g. 0x1c UniversalString)
  // whose decoder once threw a RangeError, which the decrypt-key tool turned into a 500.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const escaped: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const b = Buffer.alloc(1 + (next() % 300));
    for (let j = 0; j < b.length; j++) b[j] = next() & 0xff;
    try {
      await readPrivateKey(b);
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode !== 422)
        escaped.push(`${b.subarray(0, 8).toString('hex')}: ${err}`);
    }
  }
  assert.deepEqual(escaped.slice(0, 5), []);
});
