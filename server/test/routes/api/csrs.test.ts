import assert from 'node:assert/strict';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Csr, CsrList } from '@certdesk/shared';
import { ADMIN_PASSWORD, createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { openssl, opensslResult, scratch } from '../../support/openssl.js';

let app: TestApp;
let dataDir: string;
let close: () => Promise<void>;
let session: Session;
const s = scratch();

before(async () => {
  ({ app, dataDir, close } = await createTestApp());
  session = await login(app);
});
after(async () => {
  await close();
  s.cleanup();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = session.headers) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });

async function createCsr(body: Record<string, unknown>): Promise<Csr> {
  const res = await post('/api/csrs', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Csr;
}

/** `openssl req -verify -text -noout` on the PEM; fails the test when openssl does not verify it. */
function opensslReq(pem: string): string {
  const file = s.file(`req-${crypto.randomUUID()}.csr`);
  fs.writeFileSync(file, pem);
  const r = opensslResult(['req', '-in', file, '-verify', '-text', '-noout']);
  assert.equal(r.status, 0, `openssl req -verify failed: ${r.stderr}`);
  assert.match(r.stderr + r.stdout, /verify OK|Certificate request self-signature verify OK/);
  return r.stdout;
}

describe('POST /api/csrs makes a CSR openssl verifies, for every key kind', () => {
  const kinds: Array<[string, Record<string, unknown>, RegExp]> = [
    ['RSA 2048', { keyType: 'rsa', keySize: 2048 }, /Public-Key: \(2048 bit\)/],
    ['RSA 3072', { keyType: 'rsa', keySize: 3072 }, /Public-Key: \(3072 bit\)/],
    ['RSA 4096', { keyType: 'rsa', keySize: 4096 }, /Public-Key: \(4096 bit\)/],
    ['ECDSA P-256', { keyType: 'ec', curve: 'P-256' }, /NIST CURVE: P-256/],
    ['ECDSA P-384', { keyType: 'ec', curve: 'P-384' }, /NIST CURVE: P-384/],
  ];
  for (const [name, keyParams, keyText] of kinds) {
    test(name, async () => {
      const csr = await createCsr({
        commonName: 'www.example.com',
        subjectAltNames: ['api.example.com'],
        organization: 'Example, Inc.',
        organizationalUnit: 'IT',
        locality: 'München',
        state: 'Bayern',
        country: 'de',
        ...keyParams,
      });
      assert.equal(csr.status, 'pending');
      assert.equal(csr.keyType, keyParams.keyType);
      if (keyParams.keyType === 'rsa') assert.equal(csr.keySize, keyParams.keySize);
      else assert.equal(csr.curve, keyParams.curve);
      assert.deepEqual(csr.subject, {
        commonName: 'www.example.com',
        organization: 'Example, Inc.',
        organizationalUnit: 'IT',
        locality: 'München',
        state: 'Bayern',
        country: 'DE',
      });
      const text = opensslReq(csr.csrPem);
      assert.match(text, keyText);
      assert.match(
        text,
        keyParams.keyType === 'rsa'
          ? /Signature Algorithm: sha256WithRSAEncryption/
          : /Signature Algorithm: ecdsa-with-SHA256/,
      );
      assert.match(
        text,
        /Subject: C ?= ?DE, ST ?= ?Bayern, L ?= ?M(ü|\\C3\\BC)nchen, O ?= ?"?Example, Inc\."?, OU ?= ?IT, CN ?= ?www\.example\.com/,
      );
      assert.match(text, /DNS:www\.example\.com, DNS:api\.example\.com/);
    });
  }
});

test('without a key type the key is ECDSA P-256 (issue 15); RSA when asked', async () => {
  const defaulted = await createCsr({ commonName: 'default.example.com' });
  assert.equal(defaulted.keyType, 'ec');
  assert.equal(defaulted.curve, 'P-256');
  assert.match(opensslReq(defaulted.csrPem), /NIST CURVE: P-256/);
  const rsa = await createCsr({ commonName: 'rsa.example.com', keyType: 'rsa' });
  assert.equal(rsa.keyType, 'rsa');
  assert.equal(rsa.keySize, 2048);
});

describe('subject alternative names in the CSR', () => {
  test('IPv4, IPv6, wildcard; CN added; duplicates removed', async () => {
    const csr = await createCsr({
      commonName: 'Portal.Example.com',
      subjectAltNames: [
        '*.example.com',
        '192.0.2.10',
        '2001:db8::10',
        'PORTAL.example.com',
        '2001:DB8:0::10',
        '*.EXAMPLE.com',
      ],
      keyType: 'ec',
      curve: 'P-256',
    });
    assert.deepEqual(csr.subjectAltNames, [
      'portal.example.com',
      '*.example.com',
      '192.0.2.10',
      '2001:db8::10',
    ]);
    const text = opensslReq(csr.csrPem);
    assert.match(
      text,
      /DNS:portal\.example\.com, DNS:\*\.example\.com, IP Address:192\.0\.2\.10, IP Address:2001:DB8:0:0:0:0:0:10/,
    );
  });
});

describe('names public CAs refuse, and a subject without CN', () => {
  test('localhost and a single-label name: 201 with a warning each; openssl reads them', async () => {
    const csr = await createCsr({
      commonName: 'localhost',
      subjectAltNames: ['intranet', 'www.example.com'],
      keyType: 'ec',
      curve: 'P-256',
    });
    assert.deepEqual(csr.subjectAltNames, ['localhost', 'intranet', 'www.example.com']);
    assert.equal(csr.warnings?.length, 2);
    assert.match(csr.warnings![0]!, /public CAs refuse it/);
    assert.match(opensslReq(csr.csrPem), /DNS:localhost, DNS:intranet, DNS:www\.example\.com/);
    assert.deepEqual((await get(`/api/csrs/${csr.id}`)).json().warnings, csr.warnings);
  });

  test('no CN and a name over 64 characters in the SANs: an empty subject, the SAN extension critical', async () => {
    const long = 'customer-portal-frontend.eu-west-1.production.internal.example.com';
    const csr = await createCsr({ commonName: '', subjectAltNames: [long], keyType: 'ec', curve: 'P-256' });
    assert.equal(csr.commonName, '');
    assert.equal(csr.subjectDn, '');
    assert.deepEqual(csr.subjectAltNames, [long]);
    assert.deepEqual(csr.warnings, []);
    const text = opensslReq(csr.csrPem);
    assert.match(text, /Subject: *\n/);
    assert.match(
      text,
      /X509v3 Subject Alternative Name: critical\s+DNS:customer-portal-frontend\.eu-west-1\.production\.internal\.example\.com/,
    );
    const withOrg = await createCsr({
      commonName: '',
      subjectAltNames: [long],
      organization: 'Example Org',
      keyType: 'ec',
      curve: 'P-256',
    });
    const orgText = opensslReq(withOrg.csrPem);
    assert.match(orgText, /Subject: O *= *Example Org\n/);
    assert.match(orgText, /X509v3 Subject Alternative Name: *\n/, 'not critical when the subject has a name');
  });

  test('no CN and no SAN: 400 INVALID_COMMON_NAME with the way out', async () => {
    const res = await post('/api/csrs', { commonName: '', keyType: 'ec', curve: 'P-256' });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'INVALID_COMMON_NAME');
    assert.equal(res.json().field, 'commonName');
    assert.match(res.json().message, /subject alternative names/);
  });
});

describe('bad input answers 400 with field and a sentence', () => {
  const cases: Array<[string, Record<string, unknown>, number, string, string | undefined]> = [
    ['scheme in CN', { commonName: 'https://www.example.com' }, 400, 'INVALID_COMMON_NAME', 'commonName'],
    ['port in CN', { commonName: 'www.example.com:443' }, 400, 'INVALID_COMMON_NAME', 'commonName'],
    ['path in CN', { commonName: 'www.example.com/x' }, 400, 'INVALID_COMMON_NAME', 'commonName'],
    ['space in CN', { commonName: 'www example.com' }, 400, 'INVALID_COMMON_NAME', 'commonName'],
    ['empty label in CN', { commonName: 'www..example.com' }, 400, 'INVALID_COMMON_NAME', 'commonName'],
    ['unknown country', { country: 'XX' }, 400, 'INVALID_COUNTRY', 'country'],
    ['blank organization', { organization: '  ' }, 400, 'INVALID_SUBJECT_FIELD', 'organization'],
    ['long locality', { locality: 'l'.repeat(65) }, 400, 'INVALID_SUBJECT_FIELD', 'locality'],
    [
      'bad SAN',
      { subjectAltNames: ['ok.example.com', '300.1.1.1'] },
      400,
      'INVALID_SUBJECT_ALT_NAME',
      'subjectAltNames.1',
    ],
    ['unknown key size', { keySize: 1024 }, 400, 'VALIDATION_ERROR', 'keySize'],
    ['unknown key type', { keyType: 'dsa' }, 400, 'VALIDATION_ERROR', 'keyType'],
    ['missing common name', { commonName: undefined }, 400, 'VALIDATION_ERROR', 'commonName'],
    [
      'certificate to renew does not exist',
      { renewsCertificateId: 999 },
      404,
      'NOT_FOUND',
      'renewsCertificateId',
    ],
  ];
  for (const [name, patch, status, code, field] of cases) {
    test(name, async () => {
      const before = (app.db.prepare('SELECT count(*) AS n FROM csrs').get() as { n: number }).n;
      const res = await post('/api/csrs', {
        commonName: 'www.example.com',
        keyType: 'rsa',
        keySize: 2048,
        ...patch,
      });
      assert.equal(res.statusCode, status, res.body);
      const body = res.json() as { code: string; message: string; field?: string };
      assert.equal(body.code, code);
      assert.equal(body.field, field);
      assert.ok(body.message.length > 10);
      const afterCount = (app.db.prepare('SELECT count(*) AS n FROM csrs').get() as { n: number }).n;
      assert.equal(afterCount, before, 'nothing is stored');
    });
  }

  test('without a session → 401; without CSRF token → 403', async () => {
    const body = { commonName: 'www.example.com', keyType: 'ec' };
    assert.equal((await post('/api/csrs', body, {})).statusCode, 401);
    assert.equal((await post('/api/csrs', body, { cookie: session.cookie })).statusCode, 403);
  });
});

describe('list, detail, download', () => {
  test('every CSR is kept; list is newest first; detail has decoded fields', async () => {
    const a = await createCsr({ commonName: 'same.example.com', keyType: 'ec', curve: 'P-256' });
    const b = await createCsr({ commonName: 'same.example.com', keyType: 'ec', curve: 'P-256' });
    assert.notEqual(a.id, b.id);
    assert.notEqual(
      a.publicKeySha256,
      b.publicKeySha256,
      'a second CSR gets its own key, nothing overwritten',
    );
    const list = (await get('/api/csrs')).json() as CsrList;
    const ids = list.items.map((i) => i.id);
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => y - x),
    );
    assert.ok(ids.includes(a.id) && ids.includes(b.id));
    assert.ok(list.items.every((i) => i.status === 'pending'));
    const detail = (await get(`/api/csrs/${a.id}`)).json() as Csr;
    assert.equal(detail.csrPem, a.csrPem);
    assert.equal(detail.subjectDn, 'CN=same.example.com');
    assert.equal(detail.signatureAlgorithm, 'ecdsa-with-SHA256');
    assert.equal((await get('/api/csrs/999999')).statusCode, 404);
    assert.equal((await get('/api/csrs/abc')).statusCode, 400);
  });

  test('GET /api/csrs/:id/csr downloads server.csr', async () => {
    const csr = await createCsr({ commonName: 'dl.example.com', keyType: 'ec' });
    const res = await get(`/api/csrs/${csr.id}/csr`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="server\.csr"/);
    assert.equal(res.body, csr.csrPem);
    assert.match(res.body, /^-----BEGIN CERTIFICATE REQUEST-----/);
  });

  test('renewsCertificateId is stored when the certificate exists; completed once a certificate carries the key', async () => {
    const keyFile = s.file('renew.key');
    const certFile = s.file('renew.crt');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-subj',
      '/CN=old.example.com',
      '-days',
      '30',
      '-out',
      certFile,
    ]);
    const certId = app.certificates.insert({
      cert: new X509Certificate(fs.readFileSync(certFile)),
      chain: [],
      keyId: null,
    });
    const csr = await createCsr({
      commonName: 'old.example.com',
      keyType: 'ec',
      renewsCertificateId: certId,
    });
    assert.equal(csr.renewsCertificateId, certId);
    assert.equal(csr.status, 'pending');
    // What the import does: a certificate stored with this CSR's key.
    const keyId = (app.db.prepare('SELECT key_id FROM csrs WHERE id = ?').get(csr.id) as { key_id: number })
      .key_id;
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-subj',
      '/CN=new.example.com',
      '-days',
      '30',
      '-out',
      certFile,
    ]);
    const newId = app.certificates.insert({
      cert: new X509Certificate(fs.readFileSync(certFile)),
      chain: [],
      keyId,
    });
    const detail = (await get(`/api/csrs/${csr.id}`)).json() as Csr;
    assert.equal(detail.status, 'completed');
    assert.equal(detail.certificateId, newId);
  });
});

describe('the private key', () => {
  let csr: Csr;
  before(async () => {
    csr = await createCsr({ commonName: 'key.example.com', keyType: 'rsa', keySize: 2048 });
  });

  test('wrong or missing account password → 403 REAUTH_FAILED, audited nowhere', async () => {
    for (const password of ['wrong password', '']) {
      const res = await post(`/api/csrs/${csr.id}/key`, { password });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal((res.json() as { code: string }).code, 'REAUTH_FAILED');
      assert.doesNotMatch(res.body, /PRIVATE KEY/);
    }
  });

  test('right password → server.key (PKCS#8) matching the CSR; at rest it is not in the SQLite files', async () => {
    const res = await post(`/api/csrs/${csr.id}/key`, { password: ADMIN_PASSWORD });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="server\.key"/);
    assert.match(res.body, /^-----BEGIN PRIVATE KEY-----/);
    const key = crypto.createPrivateKey(res.body);
    const spki = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
    assert.equal(crypto.createHash('sha256').update(spki).digest('hex'), csr.publicKeySha256);
    // The key's secret bytes, in any form an attacker with the database file could spot.
    const der = key.export({ type: 'pkcs8', format: 'der' });
    const d = Buffer.from((key.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
    const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('certdesk.db'));
    assert.ok(files.includes('certdesk.db'));
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dataDir, f));
      assert.equal(bytes.indexOf(der.subarray(26, 90)), -1, `${f} holds the PKCS#8 key`);
      assert.equal(bytes.indexOf(d.subarray(0, 32)), -1, `${f} holds the private exponent`);
      assert.equal(bytes.indexOf(Buffer.from(res.body.split('\n')[1]!)), -1, `${f} holds the PEM text`);
    }
  });

  test('with a passphrase → encrypted PKCS#8 (AES-256-CBC) that openssl decrypts', async () => {
    const res = await post(`/api/csrs/${csr.id}/key`, {
      password: ADMIN_PASSWORD,
      passphrase: 'open sesame',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const file = s.file('enc.key');
    fs.writeFileSync(file, res.body);
    const parsed = opensslResult(['asn1parse', '-in', file]);
    assert.match(parsed.stdout, /aes-256-cbc/);
    assert.notEqual(opensslResult(['pkey', '-in', file, '-passin', 'pass:wrong', '-noout']).status, 0);
    const pub = openssl(['pkey', '-in', file, '-passin', 'pass:open sesame', '-pubout', '-outform', 'DER']);
    assert.equal(crypto.createHash('sha256').update(pub).digest('hex'), csr.publicKeySha256);
  });

  test('audit: csr.create and csr.download_key, with neither key, password nor passphrase', async () => {
    const rows = app.db
      .prepare("SELECT action, target, details FROM audit_log WHERE action LIKE 'csr.%'")
      .all() as Array<{
      action: string;
      target: string;
      details: string | null;
    }>;
    assert.ok(rows.some((r) => r.action === 'csr.create' && r.target === String(csr.id)));
    const downloads = rows.filter((r) => r.action === 'csr.download_key' && r.target === String(csr.id));
    assert.equal(downloads.length, 2, 'one entry per successful download, none for refused ones');
    for (const r of rows) {
      assert.doesNotMatch(r.details ?? '', /PRIVATE KEY|open sesame|correct horse|wrong password/);
    }
  });
});

describe('CsrStore, as the import uses it', () => {
  test('findPendingByKeyId + complete link a CSR to its certificate', async () => {
    const { CsrStore } = await import('../../../src/store/csrs.js');
    const store = new CsrStore(app.db);
    const csr = await createCsr({ commonName: 'link.example.com', keyType: 'ec' });
    const keyId = (app.db.prepare('SELECT key_id FROM csrs WHERE id = ?').get(csr.id) as { key_id: number })
      .key_id;
    assert.equal(store.findPendingByKeyId(keyId)?.id, csr.id);
    const keyFile = s.file('link.key');
    const certFile = s.file('link.crt');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-subj',
      '/CN=link.example.com',
      '-days',
      '30',
      '-out',
      certFile,
    ]);
    const certId = app.certificates.insert({
      cert: new X509Certificate(fs.readFileSync(certFile)),
      chain: [],
      keyId: null,
    });
    app.db.transaction(() => store.complete(csr.id, certId))();
    assert.equal(store.findPendingByKeyId(keyId), undefined);
    const detail = (await get(`/api/csrs/${csr.id}`)).json() as Csr;
    assert.equal(detail.status, 'completed');
    assert.equal(detail.certificateId, certId);
  });
});
