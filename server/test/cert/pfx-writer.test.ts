import assert from 'node:assert/strict';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { buildPfx, type PfxEncryption } from '../../src/cert/pfx-writer.js';
import { readPkcs12 } from '../../src/cert/pkcs12.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { opensslResult } from '../support/openssl.js';
import { type Issued, TestPki } from '../support/pki.js';

/**
 * Property tests of the PFX writer: every mode (AES-256/SHA-256 MAC and 3DES/SHA-1 MAC), RSA and EC
 * keys, with and without a chain, empty, absent (NULL) and non-ASCII passwords — certdesk reads back
 * what it wrote, and OpenSSL reads it too (with -legacy for 3DES).
 */

const pki = new TestPki();
const leaves: Record<'rsa' | 'ec', Issued> = {} as never;
let chain: Issued[];

before(() => {
  const root = pki.root('Writer Root');
  const ica = pki.intermediate('Writer CA', root, { key: 'rsa2048' });
  chain = [ica, root];
  leaves.rsa = pki.leaf('rsa.writer.test', ica, { key: 'rsa2048' });
  leaves.ec = pki.leaf('ec.writer.test', ica, { key: 'ec256' });
});
after(() => pki.cleanup());

const spki = (k: crypto.KeyObject | string) =>
  crypto.createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');

interface Case {
  encryption: PfxEncryption;
  keyType: 'rsa' | 'ec';
  chainLength: number;
  password: string | null;
  friendlyName: string | undefined;
}

const cases: fc.Arbitrary<Case> = fc.record({
  encryption: fc.constantFrom<PfxEncryption>('aes256', 'legacy'),
  keyType: fc.constantFrom<'rsa' | 'ec'>('rsa', 'ec'),
  chainLength: fc.integer({ min: 0, max: 2 }),
  password: fc.oneof(
    fc.constant(''),
    fc.constant(null),
    fc.constant('pässwörd ✓ 😀'),
    // Graphemes, not code units: a lone surrogate is no password a person can type (or pass to openssl).
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }).filter((s) => !s.includes('\0')),
  ),
  friendlyName: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), { nil: undefined }),
});

function write(c: Case): Buffer {
  const leaf = leaves[c.keyType];
  return buildPfx({
    key: crypto.createPrivateKey(leaf.keyPem),
    cert: new X509Certificate(leaf.certDer),
    chain: chain.slice(0, c.chainLength).map((i) => new X509Certificate(i.certDer)),
    password: c.password,
    encryption: c.encryption,
    friendlyName: c.friendlyName,
  });
}

test('write → read: certdesk reads back every certificate, the key and the names it wrote', async () => {
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const leaf = leaves[c.keyType];
      const read = await readPkcs12(write(c), c.password ?? '', cryptoPool());
      assert.deepEqual(
        read.certs.map((x) => x.der.toString('hex')),
        [leaf, ...chain.slice(0, c.chainLength)].map((i) => i.certDer.toString('hex')),
      );
      assert.equal(read.keys.length, 1);
      assert.equal(spki(read.keys[0]?.key as crypto.KeyObject), spki(leaf.keyPem));
      assert.equal(read.certs[0]?.friendlyName, c.friendlyName ?? null);
      assert.ok(read.certs[0]?.localKeyId, 'the leaf is paired with its key');
      assert.equal(read.keys[0]?.localKeyId, read.certs[0]?.localKeyId);
    }),
    { numRuns: 40, seed: 20261127 },
  );
});

test('OpenSSL reads every mode certdesk writes (openssl pkcs12 -info -nodes, -legacy for 3DES)', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const file = pki.write(`w-${++n}.pfx`, write(c));
      const args = ['pkcs12', '-info', '-nodes', '-in', file, '-passin', `pass:${c.password ?? ''}`];
      if (c.encryption === 'legacy') args.splice(1, 0, '-legacy');
      const out = opensslResult(args);
      assert.equal(out.status, 0, out.stderr);
      const text = out.stdout + out.stderr;
      assert.match(text, c.encryption === 'legacy' ? /MAC: sha1/ : /MAC: sha256/);
      assert.match(
        text,
        c.encryption === 'legacy'
          ? /pbeWithSHA1And3-KeyTripleDES-CBC/
          : /PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/,
      );
      assert.equal((out.stdout.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length, 1 + c.chainLength);
      const keyPem = out.stdout.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0];
      assert.ok(keyPem, 'openssl found the key');
      assert.equal(spki(keyPem), spki(leaves[c.keyType].keyPem));
      fs.rmSync(file);
    }),
    { numRuns: 24, seed: 20261128 },
  );
});
