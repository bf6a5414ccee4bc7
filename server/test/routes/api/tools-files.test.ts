import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DecodedFile, TestCertificate } from '@certdesk/shared';
import {
  ADMIN_PASSWORD,
  createTestApp,
  login,
  multipart,
  type Session,
  type TestApp,
} from '../../support/app.js';
import { openssl, opensslResult, scratch } from '../../support/openssl.js';
import { type Issued, TestPki } from '../../support/pki.js';

/**
 * The Tools page's decode / convert / lab test PKI routes, against the real app and openssl-made files.
 * Every 4xx seen here is checked for a stable code and a sentence (see `call`).
 */

type Part = Parameters<typeof multipart>[0][number];
type Reply = Awaited<ReturnType<TestApp['inject']>>;

let app: TestApp;
let close: () => Promise<void>;
let s: Session;
const pki = new TestPki();
const tmp = scratch();
let root: Issued;
let ica: Issued;
let leaf: Issued;
let ecLeaf: Issued;
const PFX_PASS = 'pfx pass wörd';
const KEY_PASS = 'key passphrase';
const errorsSeen: Array<{ status: number; body: string }> = [];

function track(res: Reply): Reply {
  if (res.statusCode >= 400 && res.statusCode < 500)
    errorsSeen.push({ status: res.statusCode, body: res.body });
  return res;
}

async function upload(url: string, parts: Part[]): Promise<Reply> {
  const mp = multipart(parts);
  return track(
    await app.inject({ method: 'POST', url, payload: mp.payload, headers: { ...s.headers, ...mp.headers } }),
  );
}
const file = (name: string, data: string | Buffer): Part => ({ name: 'file', filename: name, data });
const field = (name: string, value: string): Part => ({ name, value });

async function decode(parts: Part[]): Promise<DecodedFile> {
  const res = await upload('/api/tools/decode', parts);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as DecodedFile;
}

async function auditActions(): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/api/audit?limit=200', headers: { cookie: s.cookie } });
  return (res.json() as { items: Array<{ action: string }> }).items.map((i) => i.action);
}

/** openssl's view of a DER/PEM cert: SHA-256 fingerprint as upper-case hex without colons. */
function opensslFingerprint(
  certPem: string | Buffer,
  inform: 'PEM' | 'DER' = 'PEM',
  alg = '-sha256',
): string {
  const out = openssl(['x509', '-inform', inform, '-noout', '-fingerprint', alg], certPem).toString();
  return out.split('=')[1]!.trim().replace(/:/g, '');
}

before(async () => {
  ({ app, close } = await createTestApp());
  s = await login(app);
  root = pki.root('Tools Root CA');
  ica = pki.intermediate('Tools Issuing CA', root, { key: 'rsa2048' });
  leaf = pki.leaf('www.tools.test', ica, {
    key: 'rsa2048',
    sans: ['DNS:www.tools.test', 'DNS:tools.test', 'IP:10.0.0.5'],
  });
  ecLeaf = pki.leaf('ec.tools.test', ica, { key: 'ec256' });
});
after(async () => {
  await close();
  pki.cleanup();
  tmp.cleanup();
});

describe('POST /api/tools/decode', () => {
  test('a PEM certificate: every field, fingerprints as openssl computes them', async () => {
    const before = (await auditActions()).length;
    const d = await decode([file('cert.pem', leaf.certPem)]);
    assert.equal(d.format, 'pem-certificate');
    assert.equal(d.certificates.length, 1);
    const c = d.certificates[0]!;
    assert.equal(c.subject, 'CN=www.tools.test');
    assert.equal(c.issuer, 'CN=Tools Issuing CA');
    assert.deepEqual(c.subjectAltNames, ['www.tools.test', 'tools.test', '10.0.0.5']);
    assert.equal(c.publicKey, 'RSA (2048 bits)');
    assert.equal(c.signatureAlgorithm, 'sha256WithRSAEncryption');
    const serial = openssl(['x509', '-noout', '-serial'], leaf.certPem).toString().split('=')[1]!.trim();
    assert.equal(c.serialNumber, serial.toUpperCase());
    assert.equal(c.fingerprintSha256, opensslFingerprint(leaf.certPem));
    assert.equal(c.thumbprintSha1, opensslFingerprint(leaf.certPem, 'PEM', '-sha1'));
    assert.ok(
      c.extensions.some((e) => e.oid === '2.5.29.37' && e.value.join(' ').includes('Server Authentication')),
    );
    assert.ok(c.extensions.some((e) => e.oid === '2.5.29.15' && e.critical));
    assert.equal(c.isCa, false);
    assert.equal(c.hasPrivateKey, false);
    assert.equal((await auditActions()).length, before, 'decoding is read-only and not audited');
  });

  test('DER certificate, PEM bundle with a key, p7b (DER and PEM)', async () => {
    const der = await decode([file('cert.cer', leaf.certDer)]);
    assert.equal(der.format, 'der-certificate');
    assert.equal(der.certificates[0]!.fingerprintSha256, opensslFingerprint(leaf.certDer, 'DER'));

    const bundle = await decode([{ name: 'pem', value: leaf.certPem + ica.certPem + leaf.keyPem }]);
    assert.equal(bundle.format, 'pem-bundle');
    assert.deepEqual(
      bundle.certificates.map((c) => c.commonName),
      ['www.tools.test', 'Tools Issuing CA'],
    );
    assert.equal(bundle.certificates[1]!.isCa, true);
    assert.equal(bundle.keys.length, 1);
    assert.equal(bundle.keys[0]!.keyType, 'rsa');
    assert.equal(bundle.keys[0]!.keySize, 2048);
    assert.equal(bundle.keys[0]!.matchesCertificate, bundle.certificates[0]!.fingerprintSha256);
    assert.equal(bundle.certificates[0]!.hasPrivateKey, true);

    for (const p7 of [pki.p7b([leaf, ica, root], true), pki.p7b([leaf, ica])]) {
      const d = await decode([file('chain.p7b', p7)]);
      assert.equal(d.format, 'pkcs7');
      assert.ok(d.certificates.length >= 2);
      assert.equal(d.certificates[0]!.fingerprintSha256, opensslFingerprint(leaf.certPem));
    }
  });

  for (const mode of ['modern', '3des', 'rc2'] as const) {
    test(`PFX (${mode}): certificates, friendly name, key inside and matching — key never returned`, async () => {
      const pfx = pki.pfx(leaf, [ica], PFX_PASS, mode, 'My Web Server');
      const res = await upload('/api/tools/decode', [file('site.pfx', pfx), field('password', PFX_PASS)]);
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json() as DecodedFile;
      assert.equal(d.format, 'pkcs12');
      assert.equal(d.certificates.length, 2);
      const c = d.certificates.find((x) => x.commonName === 'www.tools.test')!;
      assert.equal(c.friendlyName, 'My Web Server');
      assert.equal(c.hasPrivateKey, true);
      assert.equal(d.keys.length, 1);
      assert.equal(d.keys[0]!.matchesCertificate, c.fingerprintSha256);
      assert.equal(d.keys[0]!.friendlyName, 'My Web Server');
      assert.ok(!res.body.includes('PRIVATE KEY'), 'no key material in the answer');
      const keyDer = crypto.createPrivateKey(leaf.keyPem).export({ type: 'pkcs8', format: 'der' });
      assert.ok(!res.body.includes(keyDer.subarray(40, 70).toString('base64')));
    });
  }

  test('PFX with the wrong password or none: 422 WRONG_PASSWORD', async () => {
    const pfx = pki.pfx(leaf, [], PFX_PASS);
    const wrong = await upload('/api/tools/decode', [file('site.pfx', pfx), field('password', 'nope')]);
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'WRONG_PASSWORD');
    const none = await upload('/api/tools/decode', [file('site.pfx', pfx)]);
    assert.equal(none.statusCode, 422);
    assert.equal(none.json().code, 'WRONG_PASSWORD');
  });

  test('CSR, PEM and DER', async () => {
    const csrPem = openssl([
      'req',
      '-new',
      '-key',
      leaf.keyPath,
      '-subj',
      '/CN=csr.tools.test/O=Tools',
      '-addext',
      'subjectAltName=DNS:csr.tools.test',
    ]).toString();
    const csrPath = pki.write('tools.csr', csrPem);
    const csrDer = openssl(['req', '-in', csrPath, '-outform', 'DER']);
    for (const [name, data] of [
      ['req.csr', csrPem],
      ['req.der', csrDer],
    ] as const) {
      const d = await decode([file(name, data)]);
      assert.equal(d.format, 'csr');
      assert.equal(d.csrs.length, 1);
      assert.equal(d.csrs[0]!.signatureValid, true);
      assert.deepEqual(d.csrs[0]!.subjectAltNames, [{ type: 'DNS', value: 'csr.tools.test' }]);
    }
  });

  test('encrypted key: locked without the passphrase, described with it, refused with a wrong one', async () => {
    for (const der of [false, true]) {
      // openssl pkey cannot encrypt DER output; pkcs8 -topk8 can.
      const enc = der
        ? openssl([
            'pkcs8',
            '-topk8',
            '-in',
            leaf.keyPath,
            '-v2',
            'aes-256-cbc',
            '-passout',
            `pass:${KEY_PASS}`,
            '-outform',
            'DER',
          ])
        : pki.keyAs(leaf, 'pkcs8', KEY_PASS);
      const locked = await decode([file('k.key', enc)]);
      assert.equal(locked.format, 'private-key');
      assert.deepEqual(
        { encrypted: locked.keys[0]!.encrypted, decrypted: locked.keys[0]!.decrypted },
        { encrypted: true, decrypted: false },
      );
      const open = await decode([file('k.key', enc), field('password', KEY_PASS)]);
      assert.equal(open.keys[0]!.keyType, 'rsa');
      assert.equal(open.keys[0]!.keySize, 2048);
      assert.equal(open.keys[0]!.encrypted, true);
      assert.equal(open.keys[0]!.decrypted, true);
      const wrong = await upload('/api/tools/decode', [file('k.key', enc), field('password', 'wrong')]);
      assert.equal(wrong.statusCode, 422);
      assert.equal(wrong.json().code, 'WRONG_PASSWORD');
    }
    const ec = await decode([file('ec.key', ecLeaf.keyPem)]);
    assert.equal(ec.keys[0]!.curve, 'P-256');
    assert.equal(ec.keys[0]!.encrypted, false);
  });

  test('unrecognised content: 422 with the sentence format detection gives; bad requests: 400/415', async () => {
    const json = await upload('/api/tools/decode', [file('x.json', '{"a":1}')]);
    assert.equal(json.statusCode, 422);
    assert.equal(json.json().code, 'UNRECOGNIZED_FILE');
    assert.equal(json.json().message, 'x.json: this is JSON text, not a certificate.');
    const crl = await upload('/api/tools/decode', [file('x.bin', Buffer.from([1, 2, 3, 4]))]);
    assert.equal(crl.json().code, 'UNRECOGNIZED_FILE');
    const empty = await upload('/api/tools/decode', [field('password', 'x')]);
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().code, 'VALIDATION_ERROR');
    const two = await upload('/api/tools/decode', [file('a.pem', leaf.certPem), file('b.pem', ica.certPem)]);
    assert.equal(two.statusCode, 400);
    const asJson = track(
      await app.inject({
        method: 'POST',
        url: '/api/tools/decode',
        headers: s.headers,
        payload: { pem: leaf.certPem },
      }),
    );
    assert.equal(asJson.statusCode, 415);
    const unknown = await upload('/api/tools/decode', [file('a.pem', leaf.certPem), field('secret', 'x')]);
    assert.equal(unknown.statusCode, 400);
    const crlPem = openssl(['crl2pkcs7', '-nocrl', '-certfile', leaf.certPath])
      .toString()
      .replace(/PKCS7/g, 'X509 CRL');
    const crlText = await upload('/api/tools/decode', [{ name: 'pem', value: crlPem }]);
    assert.equal(crlText.statusCode, 422);
    // A PKCS#7 under a CRL label: read as a CRL (tools-files.crl-dsa.test.ts shows real ones), which it is not.
    assert.equal(
      crlText.json().message,
      'pasted text: this is a certificate revocation list (CRL), but it is damaged and cannot be read.',
    );
    const huge = await upload('/api/tools/decode', [file('big.pem', Buffer.alloc(1024 * 1024 + 10, 0x41))]);
    assert.equal(huge.statusCode, 413);
  });
});

describe('POST /api/tools/convert', () => {
  async function convert(parts: Part[]): Promise<Reply> {
    const res = await upload('/api/tools/convert', parts);
    assert.equal(res.statusCode, 200, res.body);
    return res;
  }

  test('PEM → DER → PEM round trip (openssl x509 -inform der)', async () => {
    const der = await convert([file('cert.pem', leaf.certPem), field('to', 'der')]);
    assert.match(String(der.headers['content-disposition']), /filename="www\.tools\.test\.cer"/);
    assert.equal(opensslFingerprint(der.rawPayload, 'DER'), opensslFingerprint(leaf.certPem));
    const pem = await convert([file('cert.cer', der.rawPayload), field('to', 'pem')]);
    assert.equal(pem.body.trim(), leaf.certPem.trim());
  });

  test('PEM bundle and PFX → p7b, certificates only (openssl pkcs7 -print_certs)', async () => {
    const inputs: Part[][] = [
      [file('bundle.pem', ica.certPem + leaf.certPem)],
      [file('site.pfx', pki.pfx(leaf, [ica], PFX_PASS, '3des')), field('password', PFX_PASS)],
    ];
    for (const parts of inputs) {
      const res = await convert([...parts, field('to', 'p7b')]);
      const printed = openssl(['pkcs7', '-inform', 'DER', '-print_certs'], res.rawPayload).toString();
      const pems = printed.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
      // Leaf first, then its issuer, whatever order they came in.
      assert.deepEqual(
        pems.map((p) => opensslFingerprint(p)),
        [opensslFingerprint(leaf.certPem), opensslFingerprint(ica.certPem)],
      );
      assert.ok(!res.rawPayload.includes(Buffer.from('PRIVATE KEY')));
    }
  });

  test('PFX → PEM: certificates; the key only after re-authentication, audited', async () => {
    const pfx = pki.pfx(leaf, [ica], PFX_PASS);
    const certsOnly = await convert([file('site.pfx', pfx), field('password', PFX_PASS), field('to', 'pem')]);
    assert.equal((certsOnly.body.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    assert.ok(!certsOnly.body.includes('PRIVATE KEY'));

    const refused = await upload('/api/tools/convert', [
      file('site.pfx', pfx),
      field('password', PFX_PASS),
      field('to', 'pem'),
      field('includeKey', 'true'),
      field('accountPassword', 'not the password'),
    ]);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'REAUTH_FAILED');
    assert.ok(!(await auditActions()).includes('tools.convert_key'));

    const withKey = await convert([
      file('site.pfx', pfx),
      field('password', PFX_PASS),
      field('to', 'pem'),
      field('includeKey', 'true'),
      field('accountPassword', ADMIN_PASSWORD),
    ]);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/.exec(withKey.body)?.[0];
    assert.ok(keyPem, 'the PEM has the key');
    const pubFromKey = openssl(['pkey', '-pubout'], keyPem).toString();
    const pubFromCert = openssl(['x509', '-noout', '-pubkey'], leaf.certPem).toString();
    assert.equal(pubFromKey, pubFromCert);
    const audit = await app.inject({
      method: 'GET',
      url: '/api/audit?limit=5',
      headers: { cookie: s.cookie },
    });
    const entry = (audit.json() as { items: Array<{ action: string; details: unknown }> }).items.find(
      (i) => i.action === 'tools.convert_key',
    );
    assert.ok(entry, 'audited as tools.convert_key');
    const details = JSON.stringify(entry.details);
    assert.ok(
      !details.includes(PFX_PASS) && !details.includes(ADMIN_PASSWORD) && !details.includes('PRIVATE'),
    );
  });

  for (const enc of ['aes256', 'legacy'] as const) {
    test(`PEM cert + key + chain → PFX (${enc}), read back by openssl pkcs12 -info -nodes`, async () => {
      const res = await convert([
        file('cert.pem', leaf.certPem),
        file('server.key', pki.keyAs(leaf, 'pkcs8', KEY_PASS)),
        file('chain.pem', ica.certPem),
        field('password', KEY_PASS),
        field('to', 'pfx'),
        field('pfxPassword', PFX_PASS),
        ...(enc === 'legacy' ? [field('pfxEncryption', 'legacy')] : []),
      ]);
      assert.match(String(res.headers['content-disposition']), /www\.tools\.test\.pfx/);
      const pfxPath = tmp.file(`out-${enc}.pfx`);
      (await import('node:fs')).writeFileSync(pfxPath, res.rawPayload);
      const args = ['pkcs12', '-in', pfxPath, '-info', '-nodes', '-passin', `pass:${PFX_PASS}`];
      const r = opensslResult(args);
      assert.equal(r.status, 0, r.stderr);
      assert.equal((r.stdout.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
      assert.match(r.stdout, /BEGIN PRIVATE KEY/);
      const info = r.stderr + r.stdout;
      if (enc === 'aes256') assert.match(info, /PBES2, PBKDF2, AES-256-CBC/);
      else assert.match(info, /pbeWithSHA1And3-KeyTripleDES-CBC/);
      const actions = await auditActions();
      assert.equal(actions[0], 'tools.convert');
    });
  }

  test('refusals carry a code: no key for pfx, no pfx password, key mismatch, DER of a bundle, bad target', async () => {
    const noKey = await upload('/api/tools/convert', [
      file('c.pem', leaf.certPem),
      field('to', 'pfx'),
      field('pfxPassword', 'x'),
    ]);
    assert.equal(noKey.statusCode, 422);
    assert.equal(noKey.json().code, 'NO_PRIVATE_KEY');
    const noPass = await upload('/api/tools/convert', [
      file('c.pem', leaf.certPem),
      file('k.pem', leaf.keyPem),
      field('to', 'pfx'),
    ]);
    assert.equal(noPass.statusCode, 400);
    assert.equal(noPass.json().code, 'PFX_PASSWORD_REQUIRED');
    const mismatch = await upload('/api/tools/convert', [
      file('c.pem', leaf.certPem),
      file('k.pem', ecLeaf.keyPem),
      field('to', 'pfx'),
      field('pfxPassword', 'x'),
    ]);
    assert.equal(mismatch.statusCode, 422);
    assert.equal(mismatch.json().code, 'KEY_MISMATCH');
    const bundleDer = await upload('/api/tools/convert', [
      file('b.pem', leaf.certPem + ica.certPem),
      field('to', 'der'),
    ]);
    assert.equal(bundleDer.statusCode, 422);
    assert.equal(bundleDer.json().code, 'ONE_CERTIFICATE_ONLY');
    const badTo = await upload('/api/tools/convert', [file('c.pem', leaf.certPem), field('to', 'jks')]);
    assert.equal(badTo.statusCode, 400);
    assert.equal(badTo.json().code, 'VALIDATION_ERROR');
    const wrongPfx = await upload('/api/tools/convert', [
      file('s.pfx', pki.pfx(leaf, [], PFX_PASS)),
      field('password', 'bad'),
      field('to', 'pem'),
    ]);
    assert.equal(wrongPfx.statusCode, 422);
    assert.equal(wrongPfx.json().code, 'WRONG_PASSWORD');
  });
});

describe('POST /api/tools/test-certificate', () => {
  async function create(body: Record<string, unknown>): Promise<Reply> {
    return track(
      await app.inject({
        method: 'POST',
        url: '/api/tools/test-certificate',
        headers: s.headers,
        payload: body,
      }),
    );
  }

  test('RSA: verifies against its root with openssl, serverAuth, SANs with the CN, marked TEST', async () => {
    const res = await create({
      commonName: 'lab.tools.test',
      subjectAltNames: ['10.1.2.3', 'alt.tools.test'],
      keyType: 'rsa',
      days: 30,
    });
    assert.equal(res.statusCode, 201, res.body);
    const t = res.json() as TestCertificate;
    assert.equal(t.privateKeyPem, undefined, 'the key is only returned on request');
    assert.ok(t.pfxPassword && t.pfxPassword.length >= 12, 'a PFX password was made');
    assert.match(t.warning, /NOT FOR PRODUCTION/);
    const rootPath = tmp.file('lab-root.pem');
    const certPath = tmp.file('lab-cert.pem');
    const fs = await import('node:fs');
    fs.writeFileSync(rootPath, t.rootPem);
    fs.writeFileSync(certPath, t.certificatePem);
    const v = opensslResult(['verify', '-CAfile', rootPath, '-purpose', 'sslserver', certPath]);
    assert.equal(v.status, 0, v.stderr + v.stdout);
    assert.match(v.stdout, /OK/);
    const text = openssl(['x509', '-noout', '-text', '-in', certPath]).toString();
    assert.match(text, /TLS Web Server Authentication/);
    assert.match(text, /O = certdesk TEST CA - NOT FOR PRODUCTION/);
    assert.match(text, /DNS:lab\.tools\.test, IP Address:10\.1\.2\.3, DNS:alt\.tools\.test/);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    const rootText = openssl(['x509', '-noout', '-text', '-in', rootPath]).toString();
    assert.match(rootText, /CA:TRUE/);
    assert.match(rootText, /O = certdesk TEST CA - NOT FOR PRODUCTION/);
    const days = (new Date(t.notAfter).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30.01, `valid 30 days, got ${days}`);
    const pfxPath = tmp.file('lab.pfx');
    fs.writeFileSync(pfxPath, Buffer.from(t.pfxBase64, 'base64'));
    const p = opensslResult([
      'pkcs12',
      '-in',
      pfxPath,
      '-info',
      '-nodes',
      '-passin',
      `pass:${t.pfxPassword}`,
    ]);
    assert.equal(p.status, 0, p.stderr);
    assert.equal((p.stdout.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    assert.match(p.stdout, /BEGIN PRIVATE KEY/);
    const audit = await app.inject({
      method: 'GET',
      url: '/api/audit?limit=3',
      headers: { cookie: s.cookie },
    });
    const entry = (audit.json() as { items: Array<{ action: string; details: unknown }> }).items[0]!;
    assert.equal(entry.action, 'tools.test_certificate');
    assert.ok(!JSON.stringify(entry.details).includes(t.pfxPassword!));
  });

  test('EC P-256 with the key: imports through POST /api/certificates once the root is a trust anchor', async () => {
    const res = await create({
      commonName: 'ec-lab.tools.test',
      subjectAltNames: [],
      keyType: 'ec',
      days: 90,
      pfxPassword: PFX_PASS,
      includePrivateKey: true,
    });
    assert.equal(res.statusCode, 201, res.body);
    const t = res.json() as TestCertificate;
    assert.equal(t.pfxPassword, undefined, 'the given password is not echoed');
    assert.ok(t.privateKeyPem);
    const key = crypto.createPrivateKey(t.privateKeyPem);
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(new crypto.X509Certificate(t.certificatePem).checkPrivateKey(key));
    const pfx = Buffer.from(t.pfxBase64, 'base64');

    const blocked = await upload('/api/certificates', [file('lab.pfx', pfx), field('password', PFX_PASS)]);
    assert.equal(blocked.statusCode, 422, blocked.body);
    assert.equal(blocked.json().code, 'CHAIN_NOT_TRUSTED');

    const anchor = await upload('/api/trust-anchors', [file('root.pem', t.rootPem)]);
    assert.equal(anchor.statusCode, 201, anchor.body);
    const imported = await upload('/api/certificates', [file('lab.pfx', pfx), field('password', PFX_PASS)]);
    assert.equal(imported.statusCode, 201, imported.body);
    assert.equal(imported.json().certificate.fingerprintSha256, t.fingerprintSha256);
  });

  test('refused input: over 397 days, bad names, bad key type — each a 400 with a code', async () => {
    const long = await create({
      commonName: 'lab.tools.test',
      subjectAltNames: [],
      keyType: 'rsa',
      days: 398,
    });
    assert.equal(long.statusCode, 400);
    const badCn = await create({
      commonName: 'https://lab.tools.test/',
      subjectAltNames: [],
      keyType: 'ec',
      days: 10,
    });
    assert.equal(badCn.statusCode, 400);
    assert.equal(badCn.json().code, 'INVALID_COMMON_NAME');
    assert.equal(badCn.json().field, 'commonName');
    const badSan = await create({
      commonName: 'lab.tools.test',
      subjectAltNames: ['bad name'],
      keyType: 'ec',
      days: 10,
    });
    assert.equal(badSan.json().code, 'INVALID_SUBJECT_ALT_NAME');
    assert.equal(badSan.json().field, 'subjectAltNames.0');
    const badType = await create({
      commonName: 'lab.tools.test',
      subjectAltNames: [],
      keyType: 'dsa',
      days: 10,
    });
    assert.equal(badType.statusCode, 400);
    const localhost = await create({
      commonName: 'localhost',
      subjectAltNames: ['127.0.0.1'],
      keyType: 'ec',
      days: 1,
    });
    assert.equal(localhost.statusCode, 201, 'labs may use localhost');
  });
});

test('every 4xx answered above has a code and a sentence', () => {
  assert.ok(errorsSeen.length >= 15, `saw ${errorsSeen.length} errors`);
  for (const e of errorsSeen) {
    const body = JSON.parse(e.body) as { code?: unknown; message?: unknown };
    assert.equal(typeof body.code, 'string', e.body);
    assert.match(String(body.message), /\w+.*/, e.body);
  }
});
