import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { EncryptedData, EncryptedPrivateKeyInfo, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CertError } from '../../src/cert/errors.js';
import { pbeEncrypt } from '../../src/cert/pbe-encrypt.js';
import { inspectPrivateKey, readPrivateKey } from '../../src/cert/private-key.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { withKeyKdf } from '../support/kdf-params.js';
import { openssl, opensslResult, scratch } from '../support/openssl.js';

const PASS = 'tr0ub4dor&3 pass';
const s = scratch();
const read = (name: string) => fs.readFileSync(s.file(name));

/** SPKI of the reference key: every encoding must give back the same key. */
let rsaSpki: string;
let ecSpki: string;
const spkiOf = (k: crypto.KeyObject) =>
  crypto.createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');

before(() => {
  const f = s.file;
  const o = (args: string[]) => openssl(args);
  o(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f('rsa.p8.pem')]);
  o(['pkcs8', '-topk8', '-nocrypt', '-in', f('rsa.p8.pem'), '-outform', 'DER', '-out', f('rsa.p8.der')]);
  o(['rsa', '-in', f('rsa.p8.pem'), '-traditional', '-out', f('rsa.p1.pem')]);
  o(['rsa', '-in', f('rsa.p8.pem'), '-traditional', '-outform', 'DER', '-out', f('rsa.p1.der')]);
  o([
    'pkcs8',
    '-topk8',
    '-in',
    f('rsa.p8.pem'),
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('rsa.enc.pem'),
  ]);
  o([
    'pkcs8',
    '-topk8',
    '-in',
    f('rsa.p8.pem'),
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PASS}`,
    '-outform',
    'DER',
    '-out',
    f('rsa.enc.der'),
  ]);
  o([
    'pkcs8',
    '-topk8',
    '-in',
    f('rsa.p8.pem'),
    '-scrypt',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('rsa.scrypt.pem'),
  ]);
  o([
    'rsa',
    '-in',
    f('rsa.p8.pem'),
    '-traditional',
    '-des3',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('rsa.des3.pem'),
  ]);
  o(['ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', f('ec.sec1.pem')]);
  o(['ec', '-in', f('ec.sec1.pem'), '-outform', 'DER', '-out', f('ec.sec1.der')]);
  o(['pkcs8', '-topk8', '-nocrypt', '-in', f('ec.sec1.pem'), '-out', f('ec.p8.pem')]);
  o(['pkcs8', '-topk8', '-nocrypt', '-in', f('ec.sec1.pem'), '-outform', 'DER', '-out', f('ec.p8.der')]);
  o([
    'pkcs8',
    '-topk8',
    '-in',
    f('ec.sec1.pem'),
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('ec.enc.pem'),
  ]);
  o([
    'pkcs8',
    '-topk8',
    '-in',
    f('ec.sec1.pem'),
    '-scrypt',
    '-passout',
    `pass:${PASS}`,
    '-out',
    f('ec.scrypt.pem'),
  ]);
  o(['ec', '-in', f('ec.sec1.pem'), '-des3', '-passout', `pass:${PASS}`, '-out', f('ec.des3.pem')]);
  o([
    'req',
    '-x509',
    '-key',
    f('rsa.p8.pem'),
    '-subj',
    '/CN=test.example',
    '-days',
    '1',
    '-out',
    f('cert.pem'),
  ]);
  o(['x509', '-in', f('cert.pem'), '-outform', 'DER', '-out', f('cert.der')]);
  o(['req', '-new', '-key', f('rsa.p8.pem'), '-subj', '/CN=test.example', '-out', f('csr.pem')]);
  o(['req', '-in', f('csr.pem'), '-outform', 'DER', '-out', f('csr.der')]);
  o(['pkey', '-in', f('rsa.p8.pem'), '-pubout', '-out', f('pub.pem')]);
  o(['pkey', '-in', f('rsa.p8.pem'), '-pubout', '-outform', 'DER', '-out', f('pub.der')]);
  o([
    'pkcs12',
    '-export',
    '-in',
    f('cert.pem'),
    '-inkey',
    f('rsa.p8.pem'),
    '-passout',
    'pass:x',
    '-out',
    f('bundle.p12'),
  ]);
  o(['crl2pkcs7', '-nocrl', '-certfile', f('cert.pem'), '-outform', 'DER', '-out', f('bundle.p7b')]);
  o(['genpkey', '-algorithm', 'ED25519', '-out', f('ed25519.pem')]);
  rsaSpki = spkiOf(crypto.createPrivateKey(read('rsa.p8.pem')));
  ecSpki = spkiOf(crypto.createPrivateKey(read('ec.sec1.pem')));
});

after(() => s.cleanup());

async function expectCode(fn: () => Promise<unknown>, code: string, messageIncludes?: RegExp): Promise<void> {
  await assert.rejects(fn, (err: unknown) => {
    assert.ok(err instanceof CertError, `expected CertError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(errorStatus(err.code, err.inRequest), 422);
    if (messageIncludes) assert.match(err.message, messageIncludes);
    return true;
  });
}

describe('readPrivateKey reads every common encoding', () => {
  const cases: Array<[string, 'rsa' | 'ec', boolean, string]> = [
    ['rsa.p8.pem', 'rsa', false, 'pkcs8'],
    ['rsa.p8.der', 'rsa', false, 'pkcs8'],
    ['rsa.p1.pem', 'rsa', false, 'pkcs1'],
    ['rsa.p1.der', 'rsa', false, 'pkcs1'],
    ['rsa.enc.pem', 'rsa', true, 'pkcs8'],
    ['rsa.enc.der', 'rsa', true, 'pkcs8'],
    ['rsa.scrypt.pem', 'rsa', true, 'pkcs8'],
    ['rsa.des3.pem', 'rsa', true, 'pkcs1'],
    ['ec.sec1.pem', 'ec', false, 'sec1'],
    ['ec.sec1.der', 'ec', false, 'sec1'],
    ['ec.p8.pem', 'ec', false, 'pkcs8'],
    ['ec.p8.der', 'ec', false, 'pkcs8'],
    ['ec.enc.pem', 'ec', true, 'pkcs8'],
    ['ec.scrypt.pem', 'ec', true, 'pkcs8'],
    ['ec.des3.pem', 'ec', true, 'sec1'],
  ];
  for (const [name, type, encrypted, format] of cases) {
    test(`${name} (${encrypted ? 'encrypted' : 'plain'})`, async () => {
      const data = read(name);
      const reading = await inspectPrivateKey(data, encrypted ? PASS : undefined, cryptoPool());
      assert.equal(reading.key.type, 'private');
      assert.equal(reading.key.asymmetricKeyType, type);
      assert.equal(reading.encrypted, encrypted);
      assert.equal(reading.format, format);
      assert.equal(reading.encoding, name.endsWith('.der') ? 'der' : 'pem');
      assert.equal(spkiOf(reading.key), type === 'rsa' ? rsaSpki : ecSpki);
      // PEM given as a string reads the same as PEM given as bytes.
      if (!name.endsWith('.der'))
        assert.equal(
          spkiOf(await readPrivateKey(data.toString(), encrypted ? PASS : undefined, cryptoPool())),
          spkiOf(reading.key),
        );
    });
    if (encrypted) {
      test(`${name} without a passphrase → KEY_PASSPHRASE_REQUIRED`, async () => {
        await expectCode(
          () => readPrivateKey(read(name), undefined, cryptoPool()),
          'KEY_PASSPHRASE_REQUIRED',
          /passphrase/,
        );
        await expectCode(() => readPrivateKey(read(name), '', cryptoPool()), 'KEY_PASSPHRASE_REQUIRED');
      });
      test(`${name} with a wrong passphrase → WRONG_PASSWORD`, async () => {
        await expectCode(
          () => readPrivateKey(read(name), 'not the passphrase', cryptoPool()),
          'WRONG_PASSWORD',
          /passphrase is wrong/,
        );
      });
    }
  }

  test('a plain key given a passphrase anyway is read (the passphrase is not needed)', async () => {
    assert.equal(spkiOf(await readPrivateKey(read('rsa.p8.pem'), 'whatever', cryptoPool())), rsaSpki);
  });

  test('a PEM file with the certificate before the key gives the key', async () => {
    const both = Buffer.concat([read('cert.pem'), read('rsa.p1.pem')]);
    assert.equal(spkiOf(await readPrivateKey(both, undefined, cryptoPool())), rsaSpki);
  });

  test('CRLF line endings and leading blank lines are accepted', async () => {
    const pem = `\r\n\r\n${read('ec.p8.pem').toString().replace(/\n/g, '\r\n')}`;
    assert.equal(spkiOf(await readPrivateKey(pem, undefined, cryptoPool())), ecSpki);
  });
});

describe('readPrivateKey says what a non-key is', () => {
  const cases: Array<[string, () => Buffer | string, RegExp]> = [
    ['PEM certificate', () => read('cert.pem'), /looks like a certificate/],
    ['DER certificate', () => read('cert.der'), /looks like a certificate/],
    ['PEM CSR', () => read('csr.pem'), /certificate signing request/],
    ['DER CSR', () => read('csr.der'), /certificate signing request/],
    ['PEM public key', () => read('pub.pem'), /public key/],
    ['DER public key', () => read('pub.der'), /public key/],
    ['PKCS#12', () => read('bundle.p12'), /PKCS#12/],
    ['PKCS#7 (DER)', () => read('bundle.p7b'), /PKCS#7/],
    ['random bytes', () => crypto.randomBytes(300), /not a private key/],
    [
      'random DER-looking bytes',
      () => Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), crypto.randomBytes(40)]),
      /not a private key/,
    ],
    ['plain text', () => 'hello, this is not a key', /not a private key/],
    ['empty', () => Buffer.alloc(0), /empty/],
    ['truncated PEM', () => read('rsa.p8.pem').toString().slice(0, 300), /incomplete/],
  ];
  for (const [name, input, message] of cases) {
    test(
      name,
      async () =>
        await expectCode(
          () => readPrivateKey(input(), undefined, cryptoPool()),
          'NOT_A_PRIVATE_KEY',
          message,
        ),
    );
  }

  test('a key with damaged base64 body → NOT_A_PRIVATE_KEY', async () => {
    const pem = read('rsa.p8.pem').toString();
    const lines = pem.split('\n');
    lines[3] = 'A'.repeat(lines[3]!.length);
    lines.splice(5, 4);
    await expectCode(
      () => readPrivateKey(lines.join('\n'), undefined, cryptoPool()),
      'NOT_A_PRIVATE_KEY',
      /damaged/,
    );
  });

  test('an Ed25519 key → UNSUPPORTED_KEY_TYPE', async () => {
    await expectCode(
      () => readPrivateKey(read('ed25519.pem'), undefined, cryptoPool()),
      'UNSUPPORTED_KEY_TYPE',
      /ED25519/,
    );
  });

  test('an OpenSSH key → UNSUPPORTED_KEY_TYPE', async () => {
    const ssh =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    await expectCode(() => readPrivateKey(ssh, undefined, cryptoPool()), 'UNSUPPORTED_KEY_TYPE', /OpenSSH/);
  });

  test('over 1 MB → NOT_A_PRIVATE_KEY without parsing', async () => {
    await expectCode(
      () => readPrivateKey(Buffer.alloc(1024 * 1024 + 1, 0x41), undefined, cryptoPool()),
      'NOT_A_PRIVATE_KEY',
      /too large/,
    );
  });
});

describe('encrypted PKCS#8: every scheme OpenSSL 3 reads, and the true reason when certdesk cannot', () => {
  const topk8 = (name: string, args: string[]) =>
    opensslResult([
      'pkcs8',
      '-topk8',
      '-in',
      s.file('ec.sec1.pem'),
      ...args,
      '-passout',
      `pass:${PASS}`,
      '-out',
      s.file(name),
    ]);
  before(() => {
    topk8('ec.p12pbe.pem', ['-v1', 'PBE-SHA1-3DES']);
    topk8('ec.camellia.pem', ['-v2', 'camellia-256-cbc']);
    topk8('ec.sha512prf.pem', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512']);
  });

  for (const name of ['ec.p12pbe.pem', 'ec.camellia.pem', 'ec.sha512prf.pem']) {
    test(`${name} is read; a wrong passphrase is WRONG_PASSWORD`, async () => {
      assert.equal(spkiOf(await readPrivateKey(read(name), PASS, cryptoPool())), ecSpki);
      await expectCode(
        () => readPrivateKey(read(name), 'nope', cryptoPool()),
        'WRONG_PASSWORD',
        /passphrase is wrong/,
      );
    });
  }

  // PBES1, DES/RC2 in PBES2 and traditional DES/RC2 are read now: private-key.legacy.test.ts.

  test('absurd key-derivation costs are refused before any derivation runs', async () => {
    const started = cryptoPool().stats().started;
    const cases: Array<[Buffer, RegExp]> = [
      [
        withKeyKdf(read('ec.enc.pem'), { iterations: 100_000_000 }),
        /PBKDF2 iterations = 100,000,000.*limit is 10,000,000/,
      ],
      [
        withKeyKdf(read('ec.p12pbe.pem'), { iterations: 50_000_000 }),
        /PKCS#12 key-derivation iterations = 50,000,000/,
      ],
      [
        withKeyKdf(read('ec.scrypt.pem'), { scrypt: { N: 16384, r: 8, p: 64 } }),
        /scrypt N·r·p = 8,388,608.*limit is 4,194,304/,
      ],
      [
        withKeyKdf(read('ec.scrypt.pem'), { scrypt: { N: 1 << 17, r: 8, p: 1 } }),
        /scrypt memory 128·N·r = 128 MiB.*limit is 32 MiB/,
      ],
    ];
    for (const [key, message] of cases) {
      for (const passphrase of [PASS, undefined]) {
        await expectCode(() => readPrivateKey(key, passphrase, cryptoPool()), 'KDF_TOO_COSTLY', message);
      }
    }
    assert.equal(cryptoPool().stats().started, started, 'no derivation was started');
  });
});

test('the right passphrase on a key of a type Node cannot load says so (not WRONG_PASSWORD)', async () => {
  const info = new PrivateKeyInfo({
    privateKeyAlgorithm: new AlgorithmIdentifier({ algorithm: '1.2.3.4.5' }),
    privateKey: new OctetString(Buffer.from('not a key Node knows')),
  });
  const enc = pbeEncrypt('pbes2-aes256', Buffer.from(AsnConvert.serialize(info)), PASS, 2048);
  const der = Buffer.from(
    AsnConvert.serialize(
      new EncryptedPrivateKeyInfo({
        encryptionAlgorithm: enc.algorithm,
        encryptedData: new EncryptedData(enc.data),
      }),
    ),
  );
  await expectCode(() => readPrivateKey(der, PASS, cryptoPool()), 'UNSUPPORTED_KEY_TYPE', /1\.2\.3\.4\.5/);
  await expectCode(() => readPrivateKey(der, 'nope', cryptoPool()), 'WRONG_PASSWORD');
});
