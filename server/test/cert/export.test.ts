import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { errorStatus } from '@certdesk/shared/errors';
import { CertError } from '../../src/cert/errors.js';
import { exportCertificate, safeBaseName } from '../../src/cert/export.js';
import { pkcs12Kdf } from '../../src/cert/kdf.js';
import { bmpPassword } from '../../src/cert/pbe.js';
import { readPkcs7 } from '../../src/cert/pkcs7.js';
import { scratch } from '../support/openssl.js';
import { type Issued, makeLeaf, makePki, type TestChain } from '../support/pki.js';

const s = scratch();
let pki: TestChain;
const leaves: Record<'rsa' | 'ec', Issued> = {} as never;

before(async () => {
  pki = await makePki();
  leaves.rsa = await makeLeaf(pki.intermediate, { cn: 'rsa.example.test', key: { type: 'rsa', size: 2048 } });
  leaves.ec = await makeLeaf(pki.intermediate, {
    cn: 'ec.example.test',
    key: { type: 'ec', curve: 'P-384' },
  });
});
after(() => s.cleanup());

function input(kind: 'rsa' | 'ec') {
  const leaf = leaves[kind];
  return {
    certDer: Buffer.from(leaf.cert.raw),
    chainPems: [pki.intermediate.cert.toString()],
    key: leaf.key,
    baseName: `${kind}.example.test`,
  };
}

/** openssl with stdout and stderr kept on success too (pkcs12 -info prints the algorithms on stderr). */
function opensslResult(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, body: Buffer): string {
  const f = s.file(name);
  fs.writeFileSync(f, body);
  return f;
}

/** The public key of whatever openssl printed (PEM key), as SPKI DER, to compare with the leaf. */
function spkiOf(pem: string): Buffer {
  return crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
}

function expectCode(fn: () => unknown, code: string, status: number) {
  assert.throws(
    fn,
    (e: unknown) => e instanceof CertError && e.code === code && errorStatus(e.code, e.inRequest) === status,
  );
}

for (const kind of ['rsa', 'ec'] as const) {
  describe(`export ${kind}`, () => {
    test('pem, fullchain, chain and der read back with openssl x509', () => {
      const leaf = leaves[kind];
      const pem = exportCertificate({ ...input(kind), format: 'pem' });
      assert.equal(pem.filename, `${kind}.example.test.crt`);
      const out = opensslResult([
        'x509',
        '-noout',
        '-fingerprint',
        '-sha256',
        '-in',
        write(`${kind}.crt`, pem.body),
      ]);
      assert.equal(out.status, 0, out.stderr);
      assert.equal(
        out.stdout.trim().split('=')[1]?.replace(/:/g, ''),
        leaf.cert.fingerprint256.replace(/:/g, ''),
      );

      const full = exportCertificate({ ...input(kind), format: 'fullchain' });
      const blocks = full.body.toString().match(/-----BEGIN CERTIFICATE-----/g) ?? [];
      assert.equal(blocks.length, 2);
      // The full chain verifies against the root: leaf first, then the intermediate.
      const rootFile = write('root.pem', Buffer.from(pki.root.cert.toString()));
      const chainFile = write(
        `${kind}.chain.pem`,
        exportCertificate({ ...input(kind), format: 'chain' }).body,
      );
      const verify = opensslResult([
        'verify',
        '-CAfile',
        rootFile,
        '-untrusted',
        chainFile,
        write(`${kind}.leaf.pem`, pem.body),
      ]);
      assert.equal(verify.status, 0, verify.stderr + verify.stdout);
      assert.match(verify.stdout, /OK/);

      const der = exportCertificate({ ...input(kind), format: 'der' });
      assert.equal(der.filename, `${kind}.example.test.cer`);
      const d = opensslResult([
        'x509',
        '-inform',
        'DER',
        '-noout',
        '-subject',
        '-in',
        write(`${kind}.cer`, der.body),
      ]);
      assert.equal(d.status, 0, d.stderr);
      assert.match(d.stdout, new RegExp(`CN ?= ?${kind}\\.example\\.test`));
      assert.deepEqual(new X509Certificate(der.body).raw, leaf.cert.raw);
    });

    test('key: plain and AES-256 encrypted PKCS#8 read back with openssl pkey and Node', () => {
      const leaf = leaves[kind];
      const plain = exportCertificate({ ...input(kind), format: 'key' });
      assert.match(plain.body.toString(), /^-----BEGIN PRIVATE KEY-----/);
      const p = opensslResult(['pkey', '-pubout', '-in', write(`${kind}.key`, plain.body)]);
      assert.equal(p.status, 0, p.stderr);
      assert.deepEqual(
        spkiOf(p.stdout),
        crypto.createPublicKey(leaf.key).export({ type: 'spki', format: 'der' }),
      );

      const enc = exportCertificate({ ...input(kind), format: 'key', keyPassphrase: 'key pass phrase' });
      assert.match(enc.body.toString(), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      const f = write(`${kind}.enc.key`, enc.body);
      assert.notEqual(opensslResult(['pkey', '-in', f, '-passin', 'pass:wrong']).status, 0);
      const ok = opensslResult(['pkey', '-pubout', '-in', f, '-passin', 'pass:key pass phrase']);
      assert.equal(ok.status, 0, ok.stderr);
      const node = crypto.createPrivateKey({ key: enc.body, passphrase: 'key pass phrase' });
      assert.ok(leaf.cert.checkPrivateKey(node));
    });

    test('pfx aes256: PBES2/AES-256-CBC, PBKDF2-SHA256, SHA-256 MAC; openssl and Node read it', () => {
      const leaf = leaves[kind];
      const pfx = exportCertificate({ ...input(kind), format: 'pfx', pfxPassword: 'Pfx pa55 wörd' });
      assert.equal(pfx.filename, `${kind}.example.test.pfx`);
      const f = write(`${kind}.pfx`, pfx.body);
      const info = opensslResult(['pkcs12', '-info', '-nodes', '-in', f, '-passin', 'pass:Pfx pa55 wörd']);
      assert.equal(info.status, 0, info.stderr);
      const text = info.stdout + info.stderr;
      assert.match(text, /MAC: sha256/);
      assert.match(text, /PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/);
      assert.equal(
        (info.stdout.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length,
        2,
        'leaf + intermediate',
      );
      const keyPem = info.stdout.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0];
      assert.ok(keyPem, 'the key is in the file');
      assert.ok(leaf.cert.checkPrivateKey(crypto.createPrivateKey(keyPem)));
      // The leaf carries the localKeyId that pairs it with the key, as Windows expects.
      assert.match(info.stdout, /localKeyID/);
      assert.match(info.stdout, new RegExp(`friendlyName: ${kind}\\.example\\.test`));

      assert.notEqual(
        opensslResult(['pkcs12', '-info', '-nodes', '-in', f, '-passin', 'pass:wrong']).status,
        0,
      );
      // Node (OpenSSL underneath) loads it as a TLS identity.
      assert.doesNotThrow(() => tls.createSecureContext({ pfx: pfx.body, passphrase: 'Pfx pa55 wörd' }));
      assert.throws(() => tls.createSecureContext({ pfx: pfx.body, passphrase: 'nope' }));
    });

    test('pfx legacy: 3DES and SHA-1 MAC, readable with openssl -legacy and by Node', () => {
      const leaf = leaves[kind];
      const pfx = exportCertificate({
        ...input(kind),
        format: 'pfx',
        pfxPassword: 'legacy-pass',
        pfxEncryption: 'legacy',
      });
      const f = write(`${kind}.legacy.pfx`, pfx.body);
      const info = opensslResult([
        'pkcs12',
        '-legacy',
        '-info',
        '-nodes',
        '-in',
        f,
        '-passin',
        'pass:legacy-pass',
      ]);
      assert.equal(info.status, 0, info.stderr);
      const text = info.stdout + info.stderr;
      assert.match(text, /MAC: sha1/);
      assert.match(text, /pbeWithSHA1And3-KeyTripleDES-CBC/);
      assert.doesNotMatch(text, /PBES2/);
      const keyPem = info.stdout.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0];
      assert.ok(keyPem && leaf.cert.checkPrivateKey(crypto.createPrivateKey(keyPem)));
      assert.doesNotThrow(() => tls.createSecureContext({ pfx: pfx.body, passphrase: 'legacy-pass' }));
    });
  });
}

describe('export p7b', () => {
  test('certs-only PKCS#7, leaf then intermediates, byte for byte: openssl pkcs7 -print_certs reads it', () => {
    const p7b = exportCertificate({ ...input('rsa'), format: 'p7b' });
    assert.equal(p7b.filename, 'rsa.example.test.p7b');
    assert.equal(p7b.contentType, 'application/x-pkcs7-certificates');
    const out = opensslResult(['pkcs7', '-inform', 'DER', '-print_certs', '-in', write('rsa.p7b', p7b.body)]);
    assert.equal(out.status, 0, out.stderr);
    const printed = out.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.deepEqual(
      printed.map((pem) => new X509Certificate(pem).fingerprint256),
      [leaves.rsa.cert.fingerprint256, pki.intermediate.cert.fingerprint256],
    );
    assert.match(out.stdout, /subject=.*CN *= *rsa\.example\.test/);
    // Our own reader (the import's) takes it back unchanged.
    assert.deepEqual(
      readPkcs7(p7b.body).map((der) => der.toString('hex')),
      [
        Buffer.from(leaves.rsa.cert.raw).toString('hex'),
        Buffer.from(pki.intermediate.cert.raw).toString('hex'),
      ],
    );
  });

  test('a certificate without intermediates is a one-certificate bundle', () => {
    const p7b = exportCertificate({ ...input('ec'), chainPems: [], format: 'p7b' });
    const out = opensslResult(['pkcs7', '-inform', 'DER', '-print_certs', '-in', write('ec.p7b', p7b.body)]);
    assert.equal(out.status, 0, out.stderr);
    assert.equal((out.stdout.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length, 1);
  });
});

describe('export refusals', () => {
  test('pfx and key need a key; pfx needs a password; chain needs intermediates', () => {
    const base = input('ec');
    expectCode(
      () => exportCertificate({ ...base, key: null, format: 'pfx', pfxPassword: 'x' }),
      'NO_PRIVATE_KEY',
      409,
    );
    expectCode(() => exportCertificate({ ...base, key: null, format: 'key' }), 'NO_PRIVATE_KEY', 409);
    expectCode(() => exportCertificate({ ...base, format: 'pfx' }), 'PFX_PASSWORD_REQUIRED', 400);
    expectCode(
      () => exportCertificate({ ...base, format: 'pfx', pfxPassword: '' }),
      'PFX_PASSWORD_REQUIRED',
      400,
    );
    expectCode(() => exportCertificate({ ...base, chainPems: [], format: 'chain' }), 'NO_CHAIN', 409);
    // A key that is not the certificate's is refused rather than packed into a useless .pfx.
    expectCode(
      () => exportCertificate({ ...base, key: leaves.rsa.key, format: 'pfx', pfxPassword: 'x' }),
      'KEY_MISMATCH',
      409,
    );
  });

  test('download names are safe', () => {
    assert.equal(safeBaseName('*.example.com'), 'wildcard.example.com');
    assert.equal(safeBaseName('a/../b "c"'), 'a_.._b_c');
    assert.equal(safeBaseName(null), 'certificate');
  });
});

test('PKCS#12 key derivation matches the published vectors (RFC 7292 appendix B, BouncyCastle PKCS12Test)', () => {
  const salt = Buffer.from('0A58CF64530D823F', 'hex');
  assert.equal(
    pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 1, 1, 24).toString('hex').toUpperCase(),
    '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3',
  );
  assert.equal(
    pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 2, 1, 8).toString('hex').toUpperCase(),
    '79993DFE048D3B76',
  );
});
