import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { PFX } from '@peculiar/asn1-pfx';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertError } from '../../src/cert/errors.js';
import { buildPfx } from '../../src/cert/pfx-writer.js';
import { type Pkcs12Content, readPkcs12 } from '../../src/cert/pkcs12.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { opensslResult } from '../support/openssl.js';
import { type Issued, TestPki } from '../support/pki.js';

/**
 * The PFX reader against files made by real producers at test time — OpenSSL 3 in every mode it
 * writes (legacy included), Java keytool when installed — and the truth of its errors.
 */

const pki = new TestPki();
let root: Issued;
let ica: Issued;
let leaf: Issued;

before(() => {
  root = pki.root('P12 Root');
  ica = pki.intermediate('P12 CA', root);
  leaf = pki.leaf('p12.example.test', ica);
});
after(() => pki.cleanup());

let n = 0;
/** `openssl pkcs12 -export` of the leaf (+ chain) with extra options. */
function exportPfx(password: string, extra: string[], opts: { key?: boolean; certs?: boolean } = {}): Buffer {
  const out = pki.file(`o-${++n}.pfx`);
  const args = ['pkcs12', '-export', '-out', out, '-passout', `pass:${password}`, ...extra];
  if (opts.certs === false) args.push('-nocerts');
  else args.push('-in', leaf.certPath, '-certfile', pki.write(`chain-${n}.pem`, ica.certPem));
  if (opts.key === false) args.push('-nokeys');
  else args.push('-inkey', leaf.keyPath);
  pki.openssl(args);
  return fs.readFileSync(out);
}

const spki = (k: crypto.KeyObject | string) =>
  crypto.createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');

function assertLeafAndKey(p: Pkcs12Content, opts: { key?: boolean; certs?: boolean } = {}): void {
  if (opts.certs !== false) {
    assert.deepEqual(
      p.certs.map((c) => new X509Certificate(c.der).subject),
      [leaf, ica].map((i) => new X509Certificate(i.certDer).subject),
    );
  } else assert.equal(p.certs.length, 0);
  if (opts.key !== false) {
    assert.equal(p.keys.length, 1);
    assert.equal(spki(p.keys[0]?.key as crypto.KeyObject), spki(leaf.keyPem));
  } else assert.equal(p.keys.length, 0);
}

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<CertError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CertError, `expected CertError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(errorStatus(err.code, err.inRequest), 422);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('reads what OpenSSL 3 writes', () => {
  const modes: Array<[string, string[]]> = [
    ['default (PBES2 AES-256, SHA-256 MAC)', []],
    ['-legacy (RC2-40 certificates, 3DES key, SHA-1 MAC)', ['-legacy']],
    [
      '3DES for both, SHA-1 MAC',
      ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    ],
    ['2-key 3DES', ['-legacy', '-certpbe', 'PBE-SHA1-2DES', '-keypbe', 'PBE-SHA1-2DES']],
    ['RC2-128 and RC4', ['-legacy', '-certpbe', 'PBE-SHA1-RC2-128', '-keypbe', 'PBE-SHA1-RC4-128']],
    ['RC4-40', ['-legacy', '-certpbe', 'PBE-SHA1-RC4-40', '-keypbe', 'PBE-SHA1-RC4-40']],
    ['PBES2 AES-128 and Camellia-256', ['-certpbe', 'AES-128-CBC', '-keypbe', 'CAMELLIA-256-CBC']],
    ['no MAC', ['-nomac']],
    ['no encryption at all', ['-certpbe', 'NONE', '-keypbe', 'NONE']],
    ['Firefox-like: 600,000 iterations for encryption and MAC', ['-iter', '600000']],
  ];
  for (const [name, extra] of modes) {
    test(name, async () => {
      const pfx = exportPfx('pw ✓', extra);
      assertLeafAndKey(await readPkcs12(pfx, 'pw ✓', cryptoPool()));
      if (name !== 'no encryption at all')
        await rejects(readPkcs12(pfx, 'wrong', cryptoPool()), 'WRONG_PASSWORD', /wrong/);
    });
  }

  for (const mac of [
    'sha1',
    'sha224',
    'sha256',
    'sha384',
    'sha512',
    'sha512-256',
    'sha3-256',
    'blake2b512',
    'md5',
  ]) {
    test(`MAC with ${mac}`, async () => {
      const pfx = exportPfx('pw', ['-macalg', mac]);
      assertLeafAndKey(await readPkcs12(pfx, 'pw', cryptoPool()));
      await rejects(readPkcs12(pfx, 'wrong', cryptoPool()), 'WRONG_PASSWORD', /integrity check/);
    });
  }

  test('empty password (default and legacy): read without a password', async () => {
    for (const extra of [[], ['-legacy'], ['-nomac'], ['-legacy', '-nomac']]) {
      assertLeafAndKey(await readPkcs12(exportPfx('', extra), '', cryptoPool()));
    }
  });

  test('key-only and certificate-only files', async () => {
    assertLeafAndKey(await readPkcs12(exportPfx('pw', [], { certs: false }), 'pw', cryptoPool()), {
      certs: false,
    });
    assertLeafAndKey(await readPkcs12(exportPfx('pw', [], { key: false }), 'pw', cryptoPool()), {
      key: false,
    });
  });

  test('a password left out where one is needed says so', async () => {
    const err = await rejects(
      readPkcs12(exportPfx('pw', []), '', cryptoPool()),
      'WRONG_PASSWORD',
      /Enter it/,
    );
    assert.equal(err.details.passwordRequired, true);
  });
});

describe('NULL password (no password at all, as some tools write)', () => {
  for (const encryption of ['aes256', 'legacy'] as const) {
    test(`${encryption}: OpenSSL and certdesk both read it with an empty password`, async () => {
      const pfx = buildPfx({
        key: crypto.createPrivateKey(leaf.keyPem),
        cert: new X509Certificate(leaf.certDer),
        chain: [new X509Certificate(ica.certDer)],
        password: null,
        encryption,
      });
      const args = [
        'pkcs12',
        '-info',
        '-nodes',
        '-in',
        pki.write(`null-${encryption}.pfx`, pfx),
        '-passin',
        'pass:',
      ];
      if (encryption === 'legacy') args.splice(1, 0, '-legacy');
      const out = opensslResult(args);
      assert.equal(out.status, 0, out.stderr);
      assertLeafAndKey(await readPkcs12(pfx, '', cryptoPool()));
      await rejects(readPkcs12(pfx, 'something', cryptoPool()), 'WRONG_PASSWORD');
    });
  }
});

describe('errors that tell the truth', () => {
  // PBES1 and DES/RC2 inside PBES2 are read now: pkcs12.legacy.test.ts.

  test('a MAC algorithm certdesk does not know: PFX_UNSUPPORTED naming it', async () => {
    const pfx = AsnConvert.parse(exportPfx('pw', []), PFX);
    pfx.macData.mac.digestAlgorithm.algorithm = '1.2.3.4.5';
    const der = Buffer.from(AsnConvert.serialize(pfx));
    await rejects(readPkcs12(der, 'pw', cryptoPool()), 'PFX_UNSUPPORTED', /MAC.*1\.2\.3\.4\.5/);
  });
});

const keytool = spawnSync('keytool', ['-help'], { stdio: 'ignore' }).status === 0;

test('Java keytool: 100,000 MAC iterations, PBES2 AES-256', {
  skip: !keytool && 'keytool not installed',
}, async () => {
  const store = pki.file('keytool.p12');
  const r = spawnSync(
    'keytool',
    [
      '-J-Dkeystore.pkcs12.macIterationCount=100000',
      '-genkeypair',
      '-keystore',
      store,
      '-storetype',
      'PKCS12',
      '-storepass',
      'changeit',
      '-keyalg',
      'EC',
      '-alias',
      'server',
      '-dname',
      'CN=keytool.example.test',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const pfx = fs.readFileSync(store);
  const info = opensslResult(['pkcs12', '-info', '-noout', '-in', store, '-passin', 'pass:changeit']);
  assert.match(info.stdout + info.stderr, /MAC: sha256, Iteration 100000/);
  const p = await readPkcs12(pfx, 'changeit', cryptoPool());
  assert.equal(p.keys.length, 1);
  assert.equal(p.certs[0]?.friendlyName, 'server');
  assert.ok(
    new X509Certificate(p.certs[0]?.der as Buffer).checkPrivateKey(p.keys[0]?.key as crypto.KeyObject),
  );
});
