import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { DecodedFile } from '@certdesk/shared';
import { createTestApp, login, multipart, type Session, type TestApp } from '../../support/app.js';
import { openssl, scratch } from '../../support/openssl.js';
import { type Issued, TestPki } from '../../support/pki.js';

/**
 * POST /api/tools/decode shows what `openssl crl|pkey -text` shows: certificate revocation lists (PEM and
 * DER), DSA keys (PKCS#8, traditional PEM and DER, DES-encrypted) and keys encrypted with the legacy
 * schemes (PBES1, traditional DES) — the fields compared with openssl's own reading.
 */

type Part = Parameters<typeof multipart>[0][number];

let app: TestApp;
let close: () => Promise<void>;
let s: Session;
const pki = new TestPki();
const tmp = scratch();
let ca: Issued;
let revoked: Issued[];
const PASS = 'dsa pass';
const LEGACY = ['-provider', 'legacy', '-provider', 'default'];

async function post(parts: Part[]) {
  const mp = multipart(parts);
  return app.inject({
    method: 'POST',
    url: '/api/tools/decode',
    payload: mp.payload,
    headers: { ...s.headers, ...mp.headers },
  });
}
async function decode(parts: Part[]): Promise<DecodedFile> {
  const res = await post(parts);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as DecodedFile;
}
const file = (name: string, data: string | Buffer): Part => ({ name: 'file', filename: name, data });

before(async () => {
  ({ app, close } = await createTestApp());
  s = await login(app);
  ca = pki.root('CRL Test CA', { subject: '/CN=CRL Test CA/O=Certdesk Tests' });
  revoked = [pki.leaf('gone-1.crl.test', ca), pki.leaf('gone-2.crl.test', ca)];
});
after(async () => {
  await close();
  pki.cleanup();
  tmp.cleanup();
});

/** openssl's reading of a CRL: "field=value" lines of -text we compare against. */
function opensslCrl(pem: Buffer): { text: string; serials: string[]; number: string } {
  const text = openssl(['crl', '-noout', '-text'], pem).toString();
  const serials = [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1] as string);
  const number = openssl(['crl', '-noout', '-crlnumber'], pem).toString().trim().split('=')[1] as string; // "0x1000"
  return { text, serials, number };
}

describe('CRLs', () => {
  for (const der of [false, true]) {
    test(`a ${der ? 'DER' : 'PEM'} CRL: issuer, updates, revoked entries with reasons, CRL number`, async () => {
      const pem = pki.crl(ca, der ? [] : revoked);
      const data = der ? openssl(['crl', '-outform', 'DER'], pem) : pem;
      const d = await decode([file(der ? 'ca.crl' : 'ca.crl.pem', data)]);
      assert.equal(d.format, 'crl');
      assert.equal(d.formatName, `Certificate revocation list (CRL) (${der ? 'DER' : 'PEM'})`);
      assert.deepEqual([d.certificates.length, d.keys.length, d.csrs.length, d.crls.length], [0, 0, 0, 1]);
      const crl = d.crls[0]!;
      const want = opensslCrl(pem);
      assert.equal(crl.issuer, 'O=Certdesk Tests, CN=CRL Test CA');
      assert.equal(crl.version, 2);
      assert.equal(crl.signatureAlgorithm, 'ECDSA with SHA-256');
      assert.equal(BigInt(crl.crlNumber!), BigInt(want.number));
      assert.ok(crl.thisUpdate && crl.nextUpdate);
      assert.equal(Date.parse(crl.nextUpdate!) - Date.parse(crl.thisUpdate!), 7 * 86_400_000);
      assert.equal(crl.revokedCount, want.serials.length);
      assert.equal(crl.revokedCount, 2, 'the CA database keeps both revocations');
      assert.deepEqual(
        crl.revoked.map((r) => r.serialNumber).sort(),
        want.serials.map((x) => x.replace(/^0+/, '')).sort(),
      );
      assert.ok(crl.revoked.every((r) => r.reason === 'keyCompromise' && r.revocationDate));
      assert.ok(crl.extensions.some((e) => e.name === 'CRL Number'));
      assert.match(
        d.summary,
        /certificate revocation list from O=Certdesk Tests, CN=CRL Test CA revoking 2 certificates/,
      );
      assert.match(crl.pem, /^-----BEGIN X509 CRL-----/);
    });
  }

  test('a CRL next to a certificate in one PEM: both shown', async () => {
    const d = await decode([{ name: 'pem', value: ca.certPem + pki.crl(ca, []).toString() }]);
    assert.equal(d.format, 'pem-bundle');
    assert.equal(d.certificates.length, 1);
    assert.equal(d.crls.length, 1);
  });

  test('a damaged CRL: 422 UNRECOGNIZED_FILE saying it is a damaged CRL, never a 500', async () => {
    const good = pki.crl(ca, []).toString();
    const body = good.split('\n').slice(1, -2).join('');
    const cut = `-----BEGIN X509 CRL-----\n${body.slice(0, 60)}\n-----END X509 CRL-----\n`;
    const res = await post([{ name: 'pem', value: cut }]);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'UNRECOGNIZED_FILE');
    assert.match(res.json().message, /certificate revocation list \(CRL\), but it is damaged/);
  });
});

describe('DSA keys and legacy-encrypted keys', () => {
  before(() => {
    const f = tmp.file;
    openssl(['dsaparam', '-genkey', '-out', f('dsa-params.pem'), '2048']);
    openssl(['dsa', '-in', f('dsa-params.pem'), '-out', f('dsa.pem')]);
    openssl(['dsa', '-in', f('dsa.pem'), '-outform', 'DER', '-out', f('dsa.der')]);
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', f('dsa.pem'), '-outform', 'DER', '-out', f('dsa.p8.der')]);
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
    openssl(['ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', f('ec.pem')]);
    openssl([
      'pkcs8',
      '-topk8',
      '-in',
      f('ec.pem'),
      '-v1',
      'PBE-MD5-DES',
      '-passout',
      `pass:${PASS}`,
      '-out',
      f('ec.pbes1.pem'),
      ...LEGACY,
    ]);
  });

  for (const [name, encrypted] of [
    ['dsa.pem', false],
    ['dsa.der', false],
    ['dsa.p8.der', false],
    ['dsa.des.pem', true],
  ] as const) {
    test(`${name}: a DSA key of 2048 bits${encrypted ? ', locked without its passphrase' : ''}`, async () => {
      const data = fs.readFileSync(tmp.file(name));
      if (encrypted) {
        const locked = await decode([file(name, data)]);
        assert.equal(locked.keys[0]!.decrypted, false);
      }
      const d = await decode([file(name, data), ...(encrypted ? [{ name: 'password', value: PASS }] : [])]);
      assert.equal(d.format, 'private-key');
      assert.equal(d.keys[0]!.keyType, 'dsa');
      assert.equal(d.keys[0]!.keySize, 2048);
      assert.equal(d.keys[0]!.encrypted, encrypted);
    });
  }

  test('a PBES1 (MD5-DES) key: read with its passphrase, WRONG_PASSWORD with another', async () => {
    const data = fs.readFileSync(tmp.file('ec.pbes1.pem'));
    const d = await decode([file('k.pem', data), { name: 'password', value: PASS }]);
    assert.equal(d.keys[0]!.curve, 'P-256');
    const wrong = await post([file('k.pem', data), { name: 'password', value: 'nope' }]);
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'WRONG_PASSWORD');
  });
});
