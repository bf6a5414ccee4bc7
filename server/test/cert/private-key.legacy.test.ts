import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertError } from '../../src/cert/errors.js';
import { toPem } from '../../src/cert/pem.js';
import { Pbes1Params } from '../../src/cert/pkcs-asn1.js';
import { inspectPrivateKey, readPrivateKey } from '../../src/cert/private-key.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { openssl, opensslResult, scratch } from '../support/openssl.js';

/**
 * Keys encrypted with what OpenSSL 3 reads only through its legacy provider — PKCS#5 v1.5 PBES1, DES
 * and RC2 inside PBES2, traditional PEM with DES or RC2 — and DSA in its traditional DER form: certdesk
 * reads the very key `openssl pkey` reads, and a wrong passphrase is WRONG_PASSWORD, never anything else.
 */

const PASS = 'pässwörd ✓ legacy';
const LEGACY = ['-provider', 'legacy', '-provider', 'default'];
const s = scratch();
const read = (name: string) => fs.readFileSync(s.file(name));
const spkiOf = (k: crypto.KeyObject) =>
  crypto.createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');

/** What openssl itself reads from the file: the public key, as hex DER. */
function opensslSpki(name: string, passphrase = PASS): string {
  return openssl([
    'pkey',
    '-in',
    s.file(name),
    '-passin',
    `pass:${passphrase}`,
    '-pubout',
    '-outform',
    'DER',
    ...LEGACY,
  ]).toString('hex');
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CertError, `expected CertError, got ${String(err)}`);
    assert.equal(errorStatus(err.code, err.inRequest), 422);
    return { code: err.code, message: err.message };
  }
  return { code: 'none', message: '' };
}

/** Enough wrong passphrases that some decrypt to valid-looking padding: the structure check catches those. */
const WRONG = Array.from({ length: 40 }, (_, i) => `wrong ${i}`);

const PKCS8: Array<[string, string[]]> = [
  ['PBES1 pbeWithMD5AndDES-CBC', ['-v1', 'PBE-MD5-DES']],
  ['PBES1 pbeWithSHA1AndDES-CBC', ['-v1', 'PBE-SHA1-DES']],
  ['PBES1 pbeWithMD5AndRC2-CBC', ['-v1', 'PBE-MD5-RC2-64']],
  ['PBES1 pbeWithSHA1AndRC2-CBC', ['-v1', 'PBE-SHA1-RC2-64']],
  ['PBES2 DES-CBC', ['-v2', 'des-cbc']],
  ['PBES2 RC2-CBC (128-bit)', ['-v2', 'rc2-cbc']],
  ['PBES2 RC2-40-CBC', ['-v2', 'rc2-40-cbc']],
  ['PBES2 RC2-64-CBC', ['-v2', 'rc2-64-cbc']],
  ['PBES2 DES-CBC, SHA-1 PRF, DER', ['-v2', 'des-cbc', '-v2prf', 'hmacWithSHA1', '-outform', 'DER']],
];

const TRADITIONAL: Array<[string, string, string]> = [
  ['rsa', 'DES-CBC', '-des'],
  ['ec', 'DES-CBC', '-des'],
  ['rsa', 'RC2-CBC', '-rc2'],
  ['rsa', 'RC2-40-CBC', '-rc2-40-cbc'],
  ['ec', 'RC2-64-CBC', '-rc2-64-cbc'],
];

const file = (label: string) => `${label.replace(/[^A-Za-z0-9]+/g, '_')}.key`;

before(() => {
  const f = s.file;
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f('rsa.pem')]);
  openssl(['ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', f('ec.pem')]);
  openssl(['dsaparam', '-genkey', '-out', f('dsa-params.pem'), '2048']);
  openssl(['dsa', '-in', f('dsa-params.pem'), '-out', f('dsa.pem')]);
  openssl(['dsa', '-in', f('dsa.pem'), '-outform', 'DER', '-out', f('dsa.der')]);
  openssl([
    'dsa',
    '-in',
    f('dsa.pem'),
    '-des',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('dsa.des.pem'),
    ...LEGACY,
  ]);
  for (const [label, args] of PKCS8) {
    for (const k of ['rsa', 'ec']) {
      openssl([
        'pkcs8',
        '-topk8',
        '-in',
        f(`${k}.pem`),
        ...args,
        '-passout',
        `pass:${PASS}`,
        '-out',
        f(`${k}-${file(label)}`),
        ...LEGACY,
      ]);
    }
  }
  for (const [k, label, flag] of TRADITIONAL) {
    const cmd = k === 'rsa' ? ['rsa', '-traditional'] : ['ec'];
    const out = f(`trad-${k}-${file(label)}`);
    openssl([...cmd, '-in', f(`${k}.pem`), flag, '-passout', `pass:${PASS}`, '-out', out, ...LEGACY]);
    assert.match(fs.readFileSync(out, 'latin1'), new RegExp(`DEK-Info: ${label},`));
  }
});
after(() => s.cleanup());

describe('encrypted PKCS#8 that only OpenSSL 3 -legacy reads', () => {
  for (const [label] of PKCS8) {
    for (const k of ['rsa', 'ec']) {
      const name = `${k}-${file(label)}`;
      test(`${label} (${k}): the key openssl reads; wrong passphrases are WRONG_PASSWORD`, async () => {
        const r = await inspectPrivateKey(read(name), PASS, cryptoPool());
        assert.equal(r.key.asymmetricKeyType, k);
        assert.equal(r.encrypted, true);
        assert.equal(spkiOf(r.key), opensslSpki(name));
        for (const wrong of WRONG) {
          const err = await codeOf(readPrivateKey(read(name), wrong, cryptoPool()));
          assert.equal(err.code, 'WRONG_PASSWORD', `${wrong}: ${err.message}`);
        }
        assert.equal(
          (await codeOf(readPrivateKey(read(name), undefined, cryptoPool()))).code,
          'KEY_PASSPHRASE_REQUIRED',
        );
      });
    }
  }

  test('PBES1 with MD2: UNSUPPORTED_ENCRYPTION naming it; openssl cannot read it either', async () => {
    const source = pemDer(read(`ec-${file('PBES1 pbeWithMD5AndDES-CBC')}`));
    const epki = AsnConvert.parse(source, EncryptedPrivateKeyInfo);
    epki.encryptionAlgorithm.algorithm = '1.2.840.113549.1.5.1'; // pbeWithMD2AndDES-CBC
    const pem = toPem('ENCRYPTED PRIVATE KEY', Buffer.from(AsnConvert.serialize(epki)));
    fs.writeFileSync(s.file('md2.pem'), pem);
    const o = opensslResult([
      'pkey',
      '-in',
      s.file('md2.pem'),
      '-passin',
      `pass:${PASS}`,
      '-noout',
      ...LEGACY,
    ]);
    assert.notEqual(o.status, 0, 'openssl 3 reads MD2 PBES1 after all: certdesk should too');
    for (const pw of [PASS, 'wrong']) {
      const err = await codeOf(readPrivateKey(pem, pw, cryptoPool()));
      assert.equal(err.code, 'UNSUPPORTED_ENCRYPTION');
      assert.match(err.message, /pbeWithMD2AndDES-CBC.*MD2/);
    }
  });

  test('an absurd PBES1 iteration count is refused before any derivation runs', async () => {
    const epki = AsnConvert.parse(
      pemDer(read(`rsa-${file('PBES1 pbeWithSHA1AndDES-CBC')}`)),
      EncryptedPrivateKeyInfo,
    );
    const p = AsnConvert.parse(epki.encryptionAlgorithm.parameters as ArrayBuffer, Pbes1Params);
    p.iterationCount = 50_000_000;
    epki.encryptionAlgorithm.parameters = AsnConvert.serialize(p);
    const started = cryptoPool().stats().started;
    const err = await codeOf(readPrivateKey(Buffer.from(AsnConvert.serialize(epki)), PASS, cryptoPool()));
    assert.equal(err.code, 'KDF_TOO_COSTLY');
    assert.match(err.message, /PBKDF1 iterations = 50,000,000/);
    assert.equal(cryptoPool().stats().started, started);
  });
});

describe('traditional PEM encryption with DES and RC2 ("DEK-Info: DES-CBC")', () => {
  for (const [k, label] of TRADITIONAL) {
    const name = `trad-${k}-${file(label)}`;
    test(`${k} ${label}: the key openssl reads; wrong passphrases are WRONG_PASSWORD`, async () => {
      const r = await inspectPrivateKey(read(name), PASS, cryptoPool());
      assert.equal(r.encrypted, true);
      assert.equal(r.format, k === 'rsa' ? 'pkcs1' : 'sec1');
      assert.equal(spkiOf(r.key), opensslSpki(name));
      for (const wrong of WRONG) {
        const err = await codeOf(readPrivateKey(read(name), wrong, cryptoPool()));
        assert.equal(err.code, 'WRONG_PASSWORD', `${wrong}: ${err.message}`);
      }
      assert.equal(
        (await codeOf(readPrivateKey(read(name), undefined, cryptoPool()))).code,
        'KEY_PASSPHRASE_REQUIRED',
      );
    });
  }

  test('a traditional cipher neither Node nor certdesk has (Blowfish) is named, whatever the passphrase', async () => {
    const out = s.file('rsa.bf.pem');
    openssl([
      'rsa',
      '-traditional',
      '-in',
      s.file('rsa.pem'),
      '-bf',
      '-passout',
      `pass:${PASS}`,
      '-out',
      out,
      ...LEGACY,
    ]);
    for (const pw of [PASS, 'wrong']) {
      const err = await codeOf(readPrivateKey(fs.readFileSync(out), pw, cryptoPool()));
      assert.equal(err.code, 'UNSUPPORTED_ENCRYPTION');
      assert.match(err.message, /BF-CBC \(traditional OpenSSL PEM encryption\)/);
    }
  });
});

describe('DSA keys: shown by the decode path (anyKeyType), refused for TLS with the reason', () => {
  for (const [name, encrypted] of [
    ['dsa.pem', false],
    ['dsa.der', false],
    ['dsa.des.pem', true],
  ] as const) {
    test(name, async () => {
      const r = await inspectPrivateKey(read(name), encrypted ? PASS : undefined, cryptoPool(), {
        anyKeyType: true,
      });
      assert.equal(r.key.asymmetricKeyType, 'dsa');
      assert.equal(r.format, 'dsa');
      assert.equal(r.encrypted, encrypted);
      assert.equal(spkiOf(r.key), opensslSpki(name));
      const err = await codeOf(readPrivateKey(read(name), encrypted ? PASS : undefined, cryptoPool()));
      assert.equal(err.code, 'UNSUPPORTED_KEY_TYPE');
      assert.match(err.message, /DSA/);
    });
  }
});

function pemDer(data: Buffer): Buffer {
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN')) return data;
  return Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
