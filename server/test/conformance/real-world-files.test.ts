import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decodeAnyFile } from '../../src/cert/decode.js';
import { CertError } from '../../src/cert/errors.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { AppError } from '../../src/errors.js';

// Real files from another project: the test vectors of the Python `cryptography` library, as Debian ships
// them (python3-cryptography-vectors, Apache-2.0 / BSD; installed by `npm test`). Odd certificates (RSA-PSS,
// DSA, Ed25519/Ed448, negative serials, invalid UTF-8, unknown critical extensions), CSRs, PKCS#7 bundles,
// PKCS#12 files of every shape and private keys in every serialisation.
// Two promises are checked on every file: the decode tool never fails with anything but a coded error
// (no 500), and every certificate, CRL, PKCS#12 file or private key that `openssl` (with its legacy
// provider) reads, certdesk's decode tool reads too.
const VECTORS = '/usr/lib/python3/dist-packages/cryptography_vectors';
// The passwords of the encrypted vectors: most use "cryptography", the PKCS#12 name tests "password".
const PASSWORDS = ['cryptography', 'password', ''];

const DIRS = [
  'x509',
  'x509/custom',
  'x509/custom/ca',
  'x509/ed25519',
  'x509/ed448',
  'x509/requests',
  'pkcs12',
  'pkcs7',
  'asymmetric/PKCS8',
  'asymmetric/PEM_Serialization',
  'asymmetric/DER_Serialization',
  'asymmetric/Traditional_OpenSSL_Serialization',
];

/** Files `openssl` reads but certdesk refuses on purpose, each with its reason. */
const OPENSSL_ONLY: Record<string, string> = {
  'x509/badasn1time.pem':
    'its notAfter is a 13-digit UTCTime with a 4-digit year (not DER): openssl prints "Bad time value", certdesk calls the certificate damaged rather than guess an expiry date',
  'x509/cryptography.io.with_garbage.pem':
    'besides the certificate it holds "PRIVATE KEY" blocks whose content is not a key: certdesk refuses the file (NOT_A_PRIVATE_KEY) instead of skipping a block the administrator may think was read',
  'x509/e-trust.ru.der':
    'a GOST R 34.10-2001 public key, which Node cannot load: refused as CERTIFICATE_UNSUPPORTED naming the algorithm and pointing to openssl x509 -text',
  'x509/custom/unsupported_subject_public_key_info.pem':
    'a public key of an unknown algorithm (1.3.6.1.4.1.8432.1.1.2): refused as CERTIFICATE_UNSUPPORTED naming it',
};

async function decodeWithAnyPassword(name: string, data: Buffer): Promise<void> {
  for (const [i, password] of PASSWORDS.entries()) {
    try {
      await decodeAnyFile(name, data, password, cryptoPool());
      return;
    } catch (err) {
      const last = i === PASSWORDS.length - 1;
      if (last || !(err instanceof CertError && err.code === 'WRONG_PASSWORD')) throw err;
    }
  }
}

function files(): string[] {
  return DIRS.flatMap((d) => {
    const dir = path.join(VECTORS, d);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .map((f) => path.join(dir, f))
      .filter((f) => fs.statSync(f).isFile() && fs.statSync(f).size <= 1024 * 1024);
  });
}

const LEGACY = ['-provider', 'legacy', '-provider', 'default'];

function opensslReads(file: string): 'certificate' | 'pkcs12' | 'crl' | 'private key' | null {
  const rel = path.relative(VECTORS, file);
  if (rel.startsWith('asymmetric/')) {
    for (const pass of PASSWORDS) {
      for (const form of ['PEM', 'DER']) {
        const args = ['pkey', '-in', file, '-inform', form, '-passin', `pass:${pass}`, '-noout', ...LEGACY];
        if (spawnSync('openssl', args, { timeout: 10_000 }).status === 0) return 'private key';
      }
    }
    return null;
  }
  if (rel.startsWith('pkcs12/')) {
    for (const pass of PASSWORDS) {
      const r = spawnSync(
        'openssl',
        ['pkcs12', '-in', file, '-legacy', '-passin', `pass:${pass}`, '-nokeys', '-noout'],
        {
          timeout: 10_000,
        },
      );
      if (r.status === 0) return 'pkcs12';
    }
    return null;
  }
  if (!rel.startsWith('x509/') || rel.startsWith('x509/requests/')) return null;
  for (const form of ['PEM', 'DER']) {
    const r = spawnSync('openssl', ['x509', '-in', file, '-inform', form, '-noout'], { timeout: 10_000 });
    if (r.status === 0) return 'certificate';
    const crl = spawnSync('openssl', ['crl', '-in', file, '-inform', form, '-noout'], { timeout: 10_000 });
    if (crl.status === 0) return 'crl';
  }
  return null;
}

test('real-world files (python-cryptography test vectors): coded errors only, and what openssl reads is read', {
  skip: fs.existsSync(VECTORS) ? false : 'python3-cryptography-vectors not installed (npm test installs it)',
  timeout: 600_000,
}, async (t) => {
  const all = files();
  let read = 0;
  const coded = new Map<string, number>();
  const uncoded: string[] = [];
  const missed: string[] = [];
  let opensslOnly = 0;
  for (const file of all) {
    const rel = path.relative(VECTORS, file);
    const data = fs.readFileSync(file);
    let ok = false;
    try {
      await decodeWithAnyPassword(path.basename(file), data);
      ok = true;
      read++;
    } catch (err) {
      if (err instanceof CertError || err instanceof AppError)
        coded.set(err.code, (coded.get(err.code) ?? 0) + 1);
      if (!(err instanceof CertError || err instanceof AppError))
        uncoded.push(`${rel}: ${(err as Error)?.stack?.split('\n').slice(0, 2).join(' ') ?? String(err)}`);
    }
    // openssl is asked only about what certdesk refused (spawning it for every file doubles the run).
    const openssl = ok ? null : opensslReads(file);
    if (openssl) {
      opensslOnly++;
      if (!OPENSSL_ONLY[rel]) missed.push(`${rel} (${openssl})`);
    }
  }
  t.diagnostic(
    `${all.length} files: ${read} read; refused with a code: ${[...coded].map(([c, n]) => `${c} ${n}`).join(', ')}; ` +
      `of the refused, openssl reads ${opensslOnly} as a certificate, CRL, PKCS#12 or private key (${Object.keys(OPENSSL_ONLY).length} listed with a reason, ${missed.length} not)`,
  );
  assert.ok(all.length > 200, `expected the vector corpus, found ${all.length} files`);
  assert.deepEqual(uncoded, [], 'every refusal carries a code (an uncoded error would be a 500)');
  assert.deepEqual(
    missed,
    [],
    'every certificate, CRL, PKCS#12 file and private key openssl reads, certdesk reads',
  );
});
