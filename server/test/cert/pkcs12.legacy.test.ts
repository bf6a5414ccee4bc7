import assert from 'node:assert/strict';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { CertError } from '../../src/cert/errors.js';
import { readPkcs12 } from '../../src/cert/pkcs12.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { type Issued, TestPki } from '../support/pki.js';

/**
 * PFX files whose certificates or keys are encrypted with what OpenSSL 3 reads only with -legacy:
 * PKCS#5 v1.5 PBES1 (MD5 or SHA-1 with DES or RC2) and DES or RC2 inside PBES2. certdesk reads the
 * certificates and key `openssl pkcs12 -legacy` reads; a wrong password is WRONG_PASSWORD.
 */

const pki = new TestPki();
let root: Issued;
let leaf: Issued;
const LEGACY = ['-provider', 'legacy', '-provider', 'default'];

before(() => {
  root = pki.root('Legacy P12 Root');
  leaf = pki.leaf('legacy-p12.example.test', root);
});
after(() => pki.cleanup());

let n = 0;
function exportPfx(password: string, extra: string[]): { der: Buffer; path: string } {
  const out = pki.file(`legacy-${++n}.pfx`);
  pki.openssl([
    'pkcs12',
    '-export',
    '-legacy',
    '-in',
    leaf.certPath,
    '-certfile',
    root.certPath,
    '-inkey',
    leaf.keyPath,
    '-out',
    out,
    '-passout',
    `pass:${password}`,
    ...extra,
  ]);
  return { der: fs.readFileSync(out), path: out };
}

/** What openssl reads from the file: certificate subjects and the key's public half. */
function opensslView(path: string, password: string): { subjects: string[]; spki: string } {
  const pem = pki
    .openssl(['pkcs12', '-in', path, '-passin', `pass:${password}`, '-nodes', ...LEGACY])
    .toString();
  const certs = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)];
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/.exec(pem)?.[0] ?? '';
  return {
    subjects: certs.map((m) => new X509Certificate(m[0]).subject).sort(),
    spki: spkiHex(crypto.createPrivateKey(key)),
  };
}

const spkiHex = (k: crypto.KeyObject) =>
  crypto.createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CertError, `expected CertError, got ${String(err)}`);
    assert.equal(errorStatus(err.code, err.inRequest), 422);
    return err.code;
  }
  return 'none';
}

describe('PFX with PBES1 or DES/RC2 in PBES2 (openssl pkcs12 -export -legacy)', () => {
  const modes: Array<[string, string[]]> = [
    ['key PBE-SHA1-RC2-40 (certificates RC2-40)', ['-keypbe', 'PBE-SHA1-RC2-40']],
    [
      'certificates PBES1 MD5-DES, key PBES1 SHA1-DES',
      ['-certpbe', 'PBE-MD5-DES', '-keypbe', 'PBE-SHA1-DES'],
    ],
    [
      'certificates PBES1 SHA1-RC2-64, key PBES1 MD5-RC2-64',
      ['-certpbe', 'PBE-SHA1-RC2-64', '-keypbe', 'PBE-MD5-RC2-64'],
    ],
    ['PBES2 DES-CBC certificates, PBES2 RC2-CBC key', ['-certpbe', 'DES-CBC', '-keypbe', 'RC2-CBC']],
    ['PBES2 RC2-40-CBC certificates, PBES2 DES-CBC key', ['-certpbe', 'RC2-40-CBC', '-keypbe', 'DES-CBC']],
    ['PBES1 MD5-DES, no MAC', ['-certpbe', 'PBE-MD5-DES', '-keypbe', 'PBE-MD5-DES', '-nomac']],
  ];
  for (const [name, extra] of modes) {
    test(`${name}: what openssl reads; a wrong password is WRONG_PASSWORD`, async () => {
      const pw = 'pfx pässword';
      const pfx = exportPfx(pw, extra);
      const got = await readPkcs12(pfx.der, pw, cryptoPool());
      const want = opensslView(pfx.path, pw);
      assert.deepEqual(got.certs.map((c) => new X509Certificate(c.der).subject).sort(), want.subjects);
      assert.equal(got.keys.length, 1);
      assert.equal(spkiHex(got.keys[0]?.key as crypto.KeyObject), want.spki);
      for (const wrong of ['wrong', 'pfx passwor', 'PFX PÄSSWORD', 'x']) {
        assert.equal(await codeOf(readPkcs12(pfx.der, wrong, cryptoPool())), 'WRONG_PASSWORD', wrong);
      }
    });
  }

  test('empty password with PBES1: read without a password', async () => {
    for (const extra of [[], ['-nomac']]) {
      const pfx = exportPfx('', ['-certpbe', 'PBE-MD5-DES', '-keypbe', 'PBE-SHA1-RC2-64', ...extra]);
      const got = await readPkcs12(pfx.der, '', cryptoPool());
      assert.equal(got.certs.length, 2);
      assert.equal(got.keys.length, 1);
      assert.equal(await codeOf(readPkcs12(pfx.der, 'something', cryptoPool())), 'WRONG_PASSWORD');
    }
  });
});
