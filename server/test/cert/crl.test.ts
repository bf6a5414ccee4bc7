import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeCrl, looksLikeCrl } from '../../src/cert/crl.js';
import { decodeAnyFile } from '../../src/cert/decode.js';
import { CertError } from '../../src/cert/errors.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { openssl } from '../support/openssl.js';
import { type Issued, TestPki } from '../support/pki.js';

/** crl.ts on CRLs openssl ca makes, and on every damaged shape of one: a coded error, never a crash. */

const pki = new TestPki();
let ca: Issued;
let der: Buffer;

before(() => {
  ca = pki.root('CRL Unit CA', { key: 'rsa2048' });
  der = pki.crl(ca, [pki.leaf('a.crl.test', ca), pki.leaf('b.crl.test', ca)], true);
});
after(() => pki.cleanup());

test('a CRL is told apart from a certificate, and read field by field', () => {
  assert.equal(looksLikeCrl(der), true);
  assert.equal(looksLikeCrl(ca.certDer), false);
  const crl = decodeCrl(der, 'ca.crl');
  assert.equal(crl.issuer, 'CN=CRL Unit CA');
  assert.equal(crl.signatureAlgorithm, 'SHA-256 with RSA');
  assert.equal(crl.revokedCount, 2);
  assert.equal(crl.crlNumber, '4096');
  const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], der).toString();
  for (const r of crl.revoked) assert.match(text, new RegExp(`Serial Number: 0*${r.serialNumber}`));
});

test('truncated or bit-flipped CRLs: UNRECOGNIZED_FILE or a reading, never anything uncoded', async () => {
  const rnd = crypto.createHash('sha256').update('crl fuzz seed').digest();
  const variants: Buffer[] = [];
  for (let cut = 1; cut < der.length; cut += Math.max(1, Math.floor(der.length / 40)))
    variants.push(der.subarray(0, cut));
  for (let i = 0; i < 200; i++) {
    const v = Buffer.from(der);
    const at = (rnd.readUInt16BE(i % 30) * (i + 1)) % v.length;
    v[at] = (v[at] as number) ^ (1 << (i % 8));
    variants.push(v);
  }
  for (const v of variants) {
    try {
      await decodeAnyFile('fuzz.crl', v, '', cryptoPool());
    } catch (err) {
      assert.ok(err instanceof CertError, `uncoded ${String(err)}`);
    }
    const pem = `-----BEGIN X509 CRL-----\n${v.toString('base64')}\n-----END X509 CRL-----\n`;
    try {
      await decodeAnyFile('fuzz.pem', Buffer.from(pem), '', cryptoPool());
    } catch (err) {
      assert.ok(err instanceof CertError, `uncoded ${String(err)}`);
    }
  }
});
