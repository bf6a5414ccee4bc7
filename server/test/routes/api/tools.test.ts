import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { DecodedCsr, DecryptedKey } from '@certdesk/shared';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { openssl, scratch } from '../../support/openssl.js';

let app: TestApp;
let close: () => Promise<void>;
let session: Session;
const s = scratch();
const PASS = 'key passphrase 1';

before(async () => {
  ({ app, close } = await createTestApp());
  session = await login(app);
  const f = s.file;
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f('rsa.pem')]);
  openssl(['ecparam', '-genkey', '-name', 'secp384r1', '-noout', '-out', f('ec.pem')]);
  openssl([
    'pkcs8',
    '-topk8',
    '-in',
    f('rsa.pem'),
    '-scrypt',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('rsa.scrypt.pem'),
  ]);
  openssl([
    'pkcs8',
    '-topk8',
    '-in',
    f('rsa.pem'),
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('rsa.pbes2.pem'),
  ]);
  openssl([
    'pkcs8',
    '-topk8',
    '-in',
    f('rsa.pem'),
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PASS}`,
    '-outform',
    'DER',
    '-out',
    f('rsa.pbes2.der'),
  ]);
  openssl([
    'rsa',
    '-in',
    f('rsa.pem'),
    '-traditional',
    '-des3',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('rsa.des3.pem'),
  ]);
  openssl(['ec', '-in', f('ec.pem'), '-aes256', '-passout', `pass:${PASS}`, '-out', f('ec.aes.pem')]);
  openssl([
    'req',
    '-new',
    '-key',
    f('ec.pem'),
    '-subj',
    '/CN=tools.example',
    '-addext',
    'subjectAltName=DNS:tools.example,IP:127.0.0.1',
    '-out',
    f('ec.csr'),
  ]);
  openssl([
    'req',
    '-x509',
    '-key',
    f('ec.pem'),
    '-subj',
    '/CN=tools.example',
    '-days',
    '1',
    '-out',
    f('cert.pem'),
  ]);
});
after(async () => {
  await close();
  s.cleanup();
});

const post = (url: string, payload: object) =>
  app.inject({ method: 'POST', url, payload, headers: session.headers });
const read = (name: string) => fs.readFileSync(s.file(name), 'utf8');
const spki = (k: crypto.KeyObject | string) =>
  crypto.createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');

describe('POST /api/tools/decode-csr', () => {
  test('decodes subject, SANs, key and verifies the signature', async () => {
    const res = await post('/api/tools/decode-csr', { csr: read('ec.csr') });
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json() as DecodedCsr;
    assert.equal(d.subjectDn, 'CN=tools.example');
    assert.deepEqual(d.subjectAltNames, [
      { type: 'DNS', value: 'tools.example' },
      { type: 'IP', value: '127.0.0.1' },
    ]);
    assert.equal(d.curve, 'P-384');
    assert.equal(d.signatureValid, true);
  });
  test('a certificate is 422 NOT_A_CSR; an empty body is 400', async () => {
    const res = await post('/api/tools/decode-csr', { csr: read('cert.pem') });
    assert.equal(res.statusCode, 422);
    assert.equal((res.json() as { code: string }).code, 'NOT_A_CSR');
    assert.equal((await post('/api/tools/decode-csr', { csr: '' })).statusCode, 400);
  });
});

describe('POST /api/tools/decrypt-key', () => {
  const ok: Array<[string, () => string, 'rsa' | 'ec', string]> = [
    ['PKCS#8 scrypt', () => read('rsa.scrypt.pem'), 'rsa', 'rsa.pem'],
    ['PKCS#8 PBES2 AES-256-CBC', () => read('rsa.pbes2.pem'), 'rsa', 'rsa.pem'],
    [
      'PKCS#8 PBES2 DER sent as base64',
      () => fs.readFileSync(s.file('rsa.pbes2.der')).toString('base64'),
      'rsa',
      'rsa.pem',
    ],
    ['traditional Proc-Type DES-EDE3 RSA', () => read('rsa.des3.pem'), 'rsa', 'rsa.pem'],
    ['traditional Proc-Type AES-256 EC', () => read('ec.aes.pem'), 'ec', 'ec.pem'],
  ];
  for (const [name, input, type, plain] of ok) {
    test(`${name} → unencrypted PKCS#8 of the same key`, async () => {
      const res = await post('/api/tools/decrypt-key', { key: input(), passphrase: PASS });
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json() as DecryptedKey;
      assert.match(d.keyPem, /^-----BEGIN PRIVATE KEY-----/);
      assert.equal(d.keyType, type);
      if (type === 'rsa') assert.equal(d.keySize, 2048);
      else assert.equal(d.curve, 'P-384');
      assert.equal(spki(d.keyPem), spki(read(plain)));
      assert.equal(res.headers['cache-control'], 'no-store');
    });
  }

  const bad: Array<[string, () => { key: string; passphrase: string }, string, RegExp]> = [
    [
      'wrong passphrase',
      () => ({ key: read('rsa.scrypt.pem'), passphrase: 'nope' }),
      'WRONG_PASSWORD',
      /passphrase is wrong/,
    ],
    [
      'wrong passphrase, traditional',
      () => ({ key: read('rsa.des3.pem'), passphrase: 'nope' }),
      'WRONG_PASSWORD',
      /passphrase is wrong/,
    ],
    [
      'empty passphrase',
      () => ({ key: read('rsa.pbes2.pem'), passphrase: '' }),
      'KEY_PASSPHRASE_REQUIRED',
      /passphrase/,
    ],
    [
      'not encrypted',
      () => ({ key: read('rsa.pem'), passphrase: PASS }),
      'KEY_NOT_ENCRYPTED',
      /not encrypted/,
    ],
    [
      'a certificate',
      () => ({ key: read('cert.pem'), passphrase: PASS }),
      'NOT_A_PRIVATE_KEY',
      /looks like a certificate/,
    ],
    [
      'a CSR',
      () => ({ key: read('ec.csr'), passphrase: PASS }),
      'NOT_A_PRIVATE_KEY',
      /certificate signing request/,
    ],
    [
      'garbage',
      () => ({ key: 'this is not a key at all', passphrase: PASS }),
      'NOT_A_PRIVATE_KEY',
      /not a private key/,
    ],
  ];
  for (const [name, body, code, message] of bad) {
    test(`${name} → 422 ${code}`, async () => {
      const res = await post('/api/tools/decrypt-key', body());
      assert.equal(res.statusCode, 422, res.body);
      const b = res.json() as { code: string; message: string };
      assert.equal(b.code, code);
      assert.match(b.message, message);
    });
  }

  test('audited without the key or passphrase', async () => {
    const rows = app.db
      .prepare("SELECT details FROM audit_log WHERE action = 'tools.decrypt_key'")
      .all() as Array<{ details: string }>;
    assert.equal(rows.length, ok.length);
    for (const r of rows) assert.doesNotMatch(r.details, /PRIVATE KEY|key passphrase/);
  });
});
