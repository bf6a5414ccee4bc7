import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { createTestApp, login, multipart, type Session, type TestApp } from '../support/app.js';
import { withKeyKdf, withPfxIterations } from '../support/kdf-params.js';
import { type Issued, TestPki } from '../support/pki.js';

/**
 * Red-team finding: a 1.9 KB encrypted key asking for 100,000,000 PBKDF2 iterations froze the whole
 * server for 50 s (scrypt with p = 64: 9 s) through import (dry run too), decode and decrypt-key. Now
 * the absurd is refused before any derivation, and a costly but allowed file is derived in the worker
 * pool while the event loop goes on answering.
 */

const pki = new TestPki();
let app: TestApp;
let close: () => Promise<void>;
let s: Session;
let leaf: Issued;
/** A real key with 2,000,000 PBKDF2 iterations: allowed, and long enough to watch the server meanwhile. */
let costlyKey: string;

before(async () => {
  ({ app, close } = await createTestApp());
  s = await login(app);
  const root = pki.root('KDF Root');
  leaf = pki.leaf('kdf.example.test', root);
  const anchor = await upload('/api/trust-anchors', [
    { name: 'file', filename: 'root.pem', data: root.certPem },
  ]);
  assert.equal(anchor.statusCode, 201, anchor.body);
  costlyKey = pki
    .openssl([
      'pkcs8',
      '-topk8',
      '-in',
      leaf.keyPath,
      '-v2',
      'aes-256-cbc',
      '-iter',
      '2000000',
      '-passout',
      'pass:pw',
    ])
    .toString();
});
after(async () => {
  await close();
  pki.cleanup();
});

type Part = Parameters<typeof multipart>[0][number];
const upload = (url: string, parts: Part[]) => {
  const mp = multipart(parts);
  return app.inject({ method: 'POST', url, payload: mp.payload, headers: { ...s.headers, ...mp.headers } });
};
const decryptKey = (key: string | Buffer, passphrase: string) =>
  app.inject({
    method: 'POST',
    url: '/api/tools/decrypt-key',
    headers: s.headers,
    payload: { key: key.toString(), passphrase },
  });

test('while a costly (allowed) key is derived, the event loop keeps answering', async (t) => {
  // A first small job starts the worker, so what follows watches the derivation, not a thread starting.
  const warm = await decryptKey(pki.keyAs(leaf, 'pkcs8', 'pw'), 'pw');
  assert.equal(warm.statusCode, 200, warm.body);

  let ticks = 0;
  const ticker = setInterval(() => ticks++, 1);
  t.after(() => clearInterval(ticker));
  let settled = false;
  const pending = decryptKey(costlyKey, 'pw').finally(() => {
    settled = true;
  });
  while (!settled && cryptoPool().stats().running === 0) await nextTurn();
  assert.equal(settled, false, 'the derivation ran on the event loop: nothing else happened meanwhile');
  const ticksBefore = ticks;
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  assert.equal(health.statusCode, 200);
  while (!settled && ticks === ticksBefore) await nextTurn();
  assert.equal(settled, false, 'a health request and a timer tick were served during the derivation');
  const res = await pending;
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.json().keyPem, /^-----BEGIN PRIVATE KEY-----/);
});

test('a Firefox-like PFX (600,000 iterations for keys and MAC) imports in a dry run', async () => {
  const out = pki.file('firefox-like.pfx');
  pki.openssl([
    'pkcs12',
    '-export',
    '-in',
    leaf.certPath,
    '-inkey',
    leaf.keyPath,
    '-iter',
    '600000',
    '-passout',
    'pass:pw',
    '-out',
    out,
  ]);
  const res = await upload('/api/certificates', [
    { name: 'file', filename: 'firefox.p12', data: fs.readFileSync(out) },
    { name: 'password', value: 'pw' },
    { name: 'dryRun', value: 'true' },
  ]);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().report.blocked, false);
});

test('absurd key derivations are refused with 422 KDF_TOO_COSTLY by every route, before any work', async () => {
  const key = pki.keyAs(leaf, 'pkcs8', 'pw').toString();
  const scryptKey = pki.openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-scrypt', '-passout', 'pass:pw']);
  const bombs: Array<[string, Buffer]> = [
    ['100,000,000 PBKDF2 iterations', withKeyKdf(key, { iterations: 100_000_000 })],
    ['scrypt with p = 64', withKeyKdf(scryptKey, { scrypt: { N: 16384, r: 8, p: 64 } })],
  ];
  const pfx = withPfxIterations(pki.pfx(leaf, [], 'pw'), { encryption: 100_000_000 });
  const started = cryptoPool().stats().started;
  for (const [name, bomb] of bombs) {
    const answers = [
      await decryptKey(bomb, 'pw'),
      await upload('/api/tools/decode', [
        { name: 'file', filename: 'k.pem', data: bomb },
        { name: 'password', value: 'pw' },
      ]),
      await upload('/api/certificates', [
        { name: 'file', filename: 'c.pem', data: leaf.certPem },
        { name: 'file', filename: 'k.pem', data: bomb },
        { name: 'password', value: 'pw' },
        { name: 'dryRun', value: 'true' },
      ]),
    ];
    for (const res of answers) {
      assert.equal(res.statusCode, 422, `${name}: ${res.body}`);
      assert.equal(res.json().code, 'KDF_TOO_COSTLY', res.body);
      assert.match(res.json().message, /limit is/);
    }
  }
  const pfxAnswer = await upload('/api/certificates', [
    { name: 'file', filename: 'bomb.pfx', data: pfx },
    { name: 'password', value: 'pw' },
    { name: 'dryRun', value: 'true' },
  ]);
  assert.equal(pfxAnswer.statusCode, 422, pfxAnswer.body);
  assert.equal(pfxAnswer.json().code, 'KDF_TOO_COSTLY');
  assert.equal(cryptoPool().stats().started, started, 'no derivation was started for any of them');
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  assert.equal(health.statusCode, 200);
});
