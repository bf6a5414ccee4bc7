import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestApp, login, multipart, type Session, type TestApp } from '../../support/app.js';
import { openssl, scratch } from '../../support/openssl.js';
import { type Issued, TestPki } from '../../support/pki.js';

type Part = Parameters<typeof multipart>[0][number];

describe('POST /api/certificates', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let s: Session;
  const pki = new TestPki();
  let root: Issued;
  let ica: Issued;

  before(async () => {
    ({ app, close } = await createTestApp());
    s = await login(app);
    root = pki.root('Test Root CA');
    ica = pki.intermediate('Test Issuing CA', root, { key: 'rsa2048' });
    const res = await upload('/api/trust-anchors', [
      { name: 'file', filename: 'root.pem', data: root.certPem },
    ]);
    assert.equal(res.statusCode, 201, res.body);
  });
  after(async () => {
    await close();
    pki.cleanup();
  });

  async function upload(url: string, parts: Part[]) {
    const mp = multipart(parts);
    return app.inject({ method: 'POST', url, payload: mp.payload, headers: { ...s.headers, ...mp.headers } });
  }
  const count = (table: string) =>
    (app.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  test('PEM cert + key + intermediate: dry run then import', async () => {
    const leaf = pki.leaf('www.example.test', ica);
    const parts: Part[] = [
      { name: 'file', filename: 'cert.crt', data: leaf.certPem },
      { name: 'file', filename: 'server.key', data: leaf.keyPem },
      { name: 'file', filename: 'ca.crt', data: ica.certPem },
      { name: 'dryRun', value: 'true' },
    ];
    const dry = await upload('/api/certificates', parts);
    assert.equal(dry.statusCode, 200, dry.body);
    const body = dry.json();
    assert.equal(body.id, null);
    assert.deepEqual(
      body.chain.map((c: { role: string }) => c.role),
      ['leaf', 'intermediate', 'anchor'],
    );
    assert.equal(body.report.checks.find((c: { id: string }) => c.id === 'chain').status, 'pass');
    assert.equal(count('certificates'), 0);
    const real = await upload('/api/certificates', parts.slice(0, 3));
    assert.equal(real.statusCode, 201, real.body);
    assert.ok(real.json().id > 0);
    assert.equal(count('intermediates'), 1);
    const dup = await upload('/api/certificates', parts.slice(0, 3));
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'CERTIFICATE_EXISTS');
    assert.equal(dup.json().existingId, real.json().id);
    assert.equal(dup.json().existingName, 'www.example.test');
  });

  test('a dry run of a stored certificate answers its report and where it is stored, not 409', async () => {
    const leaf = pki.leaf('stored-dry.example.test', ica);
    const parts: Part[] = [
      { name: 'file', filename: 'cert.crt', data: leaf.certPem },
      { name: 'file', filename: 'server.key', data: leaf.keyPem },
      { name: 'file', filename: 'ca.crt', data: ica.certPem },
    ];
    const real = await upload('/api/certificates', [...parts, { name: 'name', value: 'Stored dry' }]);
    assert.equal(real.statusCode, 201, real.body);
    assert.equal(real.json().alreadyStored, undefined);
    const before = count('certificates');
    const dry = await upload('/api/certificates', [...parts, { name: 'dryRun', value: 'true' }]);
    assert.equal(dry.statusCode, 200, dry.body);
    const body = dry.json();
    assert.deepEqual(body.alreadyStored, { id: real.json().id, name: 'Stored dry', addsKey: false });
    assert.equal(body.id, null);
    assert.equal(body.certificate.hasKey, true);
    assert.equal(body.report.checks.find((c: { id: string }) => c.id === 'chain').status, 'pass');
    assert.equal(count('certificates'), before);
  });

  test('PFX (modern and legacy 3DES) imports with its chain; wrong password is 422 WRONG_PASSWORD', async () => {
    for (const mode of ['modern', '3des'] as const) {
      const leaf = pki.leaf(`pfx-${mode}.example.test`, ica, { key: 'rsa2048' });
      const pfx = pki.pfx(leaf, [ica, root], 'pässword', mode, `PFX ${mode}`);
      const bad = await upload('/api/certificates', [
        { name: 'file', filename: 'x.pfx', data: pfx },
        { name: 'password', value: 'nope' },
      ]);
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().code, 'WRONG_PASSWORD');
      const ok = await upload('/api/certificates', [
        { name: 'file', filename: 'x.pfx', data: pfx },
        { name: 'password', value: 'pässword' },
      ]);
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().certificate.name, `PFX ${mode}`);
      assert.equal(ok.json().certificate.hasKey, true);
      const row = app.certificates.get(ok.json().id)!;
      assert.ok(row.key_id);
      assert.equal(JSON.parse(row.chain_pem).length, 1, 'the root is not stored in the chain');
    }
  });

  test('a legacy PFX (PBES1 MD5-DES certificates, SHA1-RC2 key): dry run reads it all; wrong password is WRONG_PASSWORD', async () => {
    const leaf = pki.leaf('pfx-pbes1.example.test', ica, { key: 'rsa2048' });
    const pfx = pki.pfx(leaf, [ica, root], 'pässword', 'pbes1');
    const bad = await upload('/api/certificates', [
      { name: 'file', filename: 'old.pfx', data: pfx },
      { name: 'password', value: 'nope' },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'WRONG_PASSWORD');
    const before = count('certificates');
    const dry = await upload('/api/certificates', [
      { name: 'file', filename: 'old.pfx', data: pfx },
      { name: 'password', value: 'pässword' },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(dry.statusCode, 200, dry.body);
    const body = dry.json();
    assert.equal(body.id, null);
    assert.deepEqual(
      body.chain.map((c: { role: string }) => c.role),
      ['leaf', 'intermediate', 'anchor'],
    );
    assert.equal(body.report.checks.find((c: { id: string }) => c.id === 'chain').status, 'pass');
    assert.equal(body.report.checks.find((c: { id: string }) => c.id === 'key-match').status, 'pass');
    assert.equal(count('certificates'), before);
  });

  test('a failed import stores and changes nothing (KEY_MISMATCH names certificate and key)', async () => {
    const before = ['certificates', 'private_keys', 'intermediates', 'csrs', 'audit_log'].map(count);
    const fresh = pki.intermediate('Fresh CA', root);
    const leaf = pki.leaf('mismatch.example.test', fresh);
    const other = pki.leaf('other.example.test', fresh, { key: 'rsa2048' });
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'cert.pem', data: leaf.certPem },
      { name: 'file', filename: 'wrong.key', data: other.keyPem },
      { name: 'file', filename: 'ca.pem', data: fresh.certPem },
    ]);
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.code, 'KEY_MISMATCH');
    assert.match(body.message, /mismatch\.example\.test \(serial/);
    assert.match(body.message, /RSA 2048 from wrong\.key/);
    assert.ok(Array.isArray(body.report.checks));
    const chainThroughNonCa = pki.intermediate('Leafy', root, { ext: ['basicConstraints=CA:FALSE'] });
    const l2 = pki.leaf('nonca.example.test', chainThroughNonCa);
    const res2 = await upload('/api/certificates', [
      { name: 'file', filename: 'b.pem', data: l2.certPem + l2.keyPem + chainThroughNonCa.certPem },
    ]);
    assert.equal(res2.statusCode, 422);
    assert.equal(res2.json().code, 'CHAIN_NOT_TRUSTED');
    assert.deepEqual(
      ['certificates', 'private_keys', 'intermediates', 'csrs', 'audit_log'].map(count),
      before,
    );
  });

  test('pairs with a pending CSR made by POST /api/csrs and completes it (renewal keeps the previous version)', async () => {
    const first = pki.leaf('renew.example.test', ica);
    const imported = await upload('/api/certificates', [
      { name: 'file', filename: 'a.pem', data: first.certPem + first.keyPem + ica.certPem },
    ]);
    assert.equal(imported.statusCode, 201, imported.body);
    const csrRes = await app.inject({
      method: 'POST',
      url: '/api/csrs',
      headers: s.headers,
      payload: {
        commonName: 'renew.example.test',
        subjectAltNames: ['renew.example.test'],
        country: 'US',
        keyType: 'ec',
        curve: 'P-256',
        renewsCertificateId: imported.json().id,
      },
    });
    assert.equal(csrRes.statusCode, 201, csrRes.body);
    const csr = csrRes.json();
    const der = pki.signCsr('renew.example.test', csr.csrPem, ica);
    const res = await upload('/api/certificates', [{ name: 'file', filename: 'renew.cer', data: der }]);
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.report.key.source, 'stored');
    assert.equal(body.report.key.csrId, csr.id);
    const row = app.db.prepare('SELECT status, certificate_id FROM csrs WHERE id = ?').get(csr.id) as {
      status: string;
      certificate_id: number;
    };
    assert.deepEqual(row, { status: 'completed', certificate_id: body.id });
    const cert = app.certificates.get(body.id)!;
    assert.equal(cert.previous_version_id, imported.json().id);
    assert.equal(
      cert.key_id,
      app.privateKeys.findBySpki(
        app.db
          .prepare('SELECT spki_sha256 FROM private_keys WHERE id = ?')
          .pluck()
          .get(cert.key_id) as string,
      )[0],
    );
  });

  test('unrecognized files are 422 with a sentence; non-multipart is 415', async () => {
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'page.crt', data: '<html><body>Login</body></html>' },
    ]);
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'UNRECOGNIZED_FILE');
    assert.match(res.json().message, /HTML/);
    const json = await app.inject({
      method: 'POST',
      url: '/api/certificates',
      headers: s.headers,
      payload: { file: 'x' },
    });
    assert.equal(json.statusCode, 415);
    const none = await upload('/api/certificates', [{ name: 'dryRun', value: 'true' }]);
    assert.equal(none.statusCode, 400);
    const big = await upload('/api/certificates', [
      { name: 'file', filename: 'big.pem', data: Buffer.alloc(1024 * 1024 + 10, 0x41) },
    ]);
    assert.equal(big.statusCode, 413);
  });

  test('GET /api/certificates/policy lists every check and whether it blocks', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/certificates/policy', headers: s.headers });
    assert.equal(res.statusCode, 200);
    const checks = res.json().checks as { id: string; blocks: boolean; description: string }[];
    const blocks = Object.fromEntries(checks.map((c) => [c.id, c.blocks]));
    assert.deepEqual(blocks, {
      'key-match': true,
      'not-expired': true,
      'not-yet-valid': true,
      'validity-period': true,
      'key-strength': true,
      'signature-algorithm': true,
      'server-auth': true,
      'server-names': false,
      'self-signed': false,
      replacement: false,
      chain: true,
    });
    // The CA/B lifetime table, by notBefore date.
    assert.deepEqual(res.json().lifetimeLimits, [
      { from: null, maxDays: 398 },
      { from: '2026-03-15', maxDays: 200 },
      { from: '2027-03-15', maxDays: 100 },
      { from: '2029-03-15', maxDays: 47 },
    ]);
    assert.match(checks.find((c) => c.id === 'validity-period')!.description, /200 days from 2026-03-15/);
  });

  test('a renewal that expires before the certificate it replaces (same names) is flagged', async () => {
    const first = pki.leaf('renew.example.test', ica, { endDays: 80 });
    const a = await upload('/api/certificates', [
      { name: 'file', filename: 'a.pem', data: first.certPem + ica.certPem },
      { name: 'file', filename: 'a.key', data: first.keyPem },
    ]);
    assert.equal(a.statusCode, 201, a.body);
    const shorter = pki.leaf('renew.example.test', ica, { endDays: 60 });
    const b = await upload('/api/certificates', [
      { name: 'file', filename: 'b.pem', data: shorter.certPem + ica.certPem },
      { name: 'file', filename: 'b.key', data: shorter.keyPem },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(b.statusCode, 200, b.body);
    const check = b.json().report.checks.find((c: { id: string }) => c.id === 'replacement');
    assert.equal(check.status, 'warn');
    assert.match(check.message, new RegExp(`before the certificate it replaces, #${a.json().id}`));
    assert.equal(b.json().report.blocked, false);
  });

  test('the certificate replaced is the one with exactly the same names, wildcard and IP included', async () => {
    const sans = ['DNS:*.shop.example.test', 'DNS:shop.example.test', 'IP:127.0.0.7'];
    const first = pki.leaf('shop.example.test', ica, { endDays: 80, sans });
    const a = await upload('/api/certificates', [
      { name: 'file', filename: 'a.pem', data: first.certPem + ica.certPem },
      { name: 'file', filename: 'a.key', data: first.keyPem },
    ]);
    assert.equal(a.statusCode, 201, a.body);
    // More names than the first: not its replacement.
    const wider = pki.leaf('shop.example.test', ica, {
      endDays: 90,
      sans: [...sans, 'DNS:extra.example.test'],
    });
    const w = await upload('/api/certificates', [
      { name: 'file', filename: 'w.pem', data: wider.certPem + ica.certPem },
      { name: 'file', filename: 'w.key', data: wider.keyPem },
    ]);
    assert.equal(w.statusCode, 201, w.body);
    const next = pki.leaf('shop.example.test', ica, { endDays: 60, sans: [...sans].reverse() });
    const b = await upload('/api/certificates', [
      { name: 'file', filename: 'b.pem', data: next.certPem + ica.certPem },
      { name: 'file', filename: 'b.key', data: next.keyPem },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(b.statusCode, 200, b.body);
    const check = b.json().report.checks.find((c: { id: string }) => c.id === 'replacement');
    assert.match(check.message, new RegExp(`the certificate it replaces, #${a.json().id} `));
  });

  test('a missing private root points to Trust anchors, with a link', async () => {
    const otherRoot = pki.root('Unknown Private Root');
    const otherCa = pki.intermediate('Unknown Private CA', otherRoot);
    const leaf = pki.leaf('private.example.test', otherCa);
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'leaf.pem', data: leaf.certPem + otherCa.certPem },
      { name: 'chainMode', value: 'manual' },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(res.statusCode, 422, res.body);
    const chainCheck = res.json().report.checks.find((c: { id: string }) => c.id === 'chain');
    assert.match(chainCheck.message, /root CA, add it under Trust anchors/);
    assert.equal(chainCheck.link, '/trust-anchors');
  });

  test('trust anchors: list, 422 for a non-CA, 409 duplicate, delete (audited)', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/trust-anchors', headers: s.headers });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().items.length, 1);
    assert.ok(list.json().mozillaRootCount > 100);
    const leaf = pki.leaf('notca.example.test', ica);
    const notCa = await upload('/api/trust-anchors', [
      { name: 'file', filename: 'leaf.pem', data: leaf.certPem },
    ]);
    assert.equal(notCa.statusCode, 422);
    assert.equal(notCa.json().code, 'NOT_A_CA_CERTIFICATE');
    const dup = await upload('/api/trust-anchors', [
      { name: 'file', filename: 'root.der', data: root.certDer },
    ]);
    assert.equal(dup.statusCode, 409);
    const other = pki.root('Enterprise Root 2');
    const added = await upload('/api/trust-anchors', [
      { name: 'file', filename: 'r2.der', data: other.certDer },
    ]);
    assert.equal(added.statusCode, 201, added.body);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/trust-anchors/${added.json().id}`,
      headers: s.headers,
    });
    assert.equal(del.statusCode, 204);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/trust-anchors/${added.json().id}`,
      headers: s.headers,
    });
    assert.equal(again.statusCode, 404);
    const actions = app.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'trust-anchor.%'")
      .pluck()
      .all();
    assert.deepEqual(actions, ['trust-anchor.create', 'trust-anchor.create', 'trust-anchor.delete']);
  });

  test('trust anchors: an intermediate only with allowIntermediate, with a warning; chains through it send it', async () => {
    const sub = pki.intermediate('Trusted Sub CA', ica);
    const refused = await upload('/api/trust-anchors', [
      { name: 'file', filename: 'sub.pem', data: sub.certPem },
    ]);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'TRUST_ANCHOR_NOT_ROOT');
    assert.match(refused.json().message, /allowIntermediate=true/);
    const added = await upload('/api/trust-anchors', [
      { name: 'allowIntermediate', value: 'true' },
      { name: 'file', filename: 'sub.pem', data: sub.certPem },
    ]);
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().selfSigned, false);
    assert.match(added.json().warning, /sent to clients/);
    const list = await app.inject({ method: 'GET', url: '/api/trust-anchors', headers: s.headers });
    assert.equal(list.json().items.find((i: { id: number }) => i.id === added.json().id).selfSigned, false);

    const leaf = pki.leaf('via-sub.example.test', sub);
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'leaf.pem', data: leaf.certPem },
      { name: 'file', filename: 'leaf.key', data: leaf.keyPem },
      { name: 'chainMode', value: 'manual' },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().chain.map((c: { role: string; commonName: string }) => `${c.role}:${c.commonName}`),
      ['leaf:via-sub.example.test', 'intermediate:Trusted Sub CA'],
      'the trusted intermediate is still sent to clients',
    );
    const chainCheck = res.json().report.checks.find((c: { id: string }) => c.id === 'chain');
    assert.equal(chainCheck.status, 'pass');
    assert.match(chainCheck.message, /sent to clients with the chain/);
    await app.inject({ method: 'DELETE', url: `/api/trust-anchors/${added.json().id}`, headers: s.headers });
  });

  test('pasted PEM, DER p7b, and manual mode with intermediates in reverse order through the route', async () => {
    const ica2 = pki.intermediate('Test Sub CA', ica);
    const a = pki.leaf('pasted.example.test', ica2);
    const pasted = await upload('/api/certificates', [
      { name: 'pem', value: a.certPem + a.keyPem + ica2.certPem + ica.certPem },
      { name: 'name', value: 'Pasted' },
    ]);
    assert.equal(pasted.statusCode, 201, pasted.body);
    assert.equal(pasted.json().certificate.name, 'Pasted');
    const b = pki.leaf('p7b.example.test', ica2);
    const p7 = await upload('/api/certificates', [
      { name: 'file', filename: 'x.bin', data: pki.p7b([root, b, ica, ica2], true) },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(p7.statusCode, 200, p7.body);
    assert.deepEqual(
      p7.json().chain.map((c: { commonName: string }) => c.commonName),
      ['p7b.example.test', 'Test Sub CA', 'Test Issuing CA', 'Test Root CA'],
    );
    assert.equal(p7.json().certificate.hasKey, false);
    const manual = await upload('/api/certificates', [
      { name: 'file', filename: 'leaf.cer', data: b.certDer },
      { name: 'chainMode', value: 'manual' },
      { name: 'intermediates', filename: 'one.pem', data: ica.certPem },
      { name: 'intermediates', filename: 'two.cer', data: ica2.certDer },
      { name: 'dryRun', value: 'true' },
    ]);
    assert.equal(manual.statusCode, 200, manual.body);
    assert.equal(manual.json().chain.length, 4);
    const bad = await upload('/api/certificates', [
      { name: 'file', filename: 'leaf.cer', data: b.certDer },
      { name: 'chainMode', value: 'sideways' },
    ]);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'chainMode');
  });

  test('a certificate stored without its key ("pending key") gets the key from a later upload', async () => {
    const leaf = pki.leaf('pending.example.test', ica);
    const first = await upload('/api/certificates', [
      { name: 'file', filename: 'c.pem', data: leaf.certPem + ica.certPem },
    ]);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().certificate.hasKey, false);
    assert.equal(app.certificates.get(first.json().id)!.key_id, null);
    const again = await upload('/api/certificates', [
      { name: 'file', filename: 'c.pem', data: leaf.certPem },
    ]);
    assert.equal(again.statusCode, 409, 'the same certificate without a key is still a duplicate');
    const withKey = await upload('/api/certificates', [
      { name: 'file', filename: 'c.pem', data: leaf.certPem },
      { name: 'file', filename: 'k.pem', data: leaf.keyPem },
    ]);
    assert.equal(withKey.statusCode, 201, withKey.body);
    assert.equal(withKey.json().id, first.json().id);
    assert.ok(app.certificates.get(first.json().id)!.key_id);
    const third = await upload('/api/certificates', [
      { name: 'file', filename: 'c.pem', data: leaf.certPem },
      { name: 'file', filename: 'k.pem', data: leaf.keyPem },
    ]);
    assert.equal(third.statusCode, 409);
  });
});

// A regression found in review: this upload was once a 500.
describe('POST /api/certificates with a key type certdesk does not support', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let session: Session;
  const s = scratch();

  before(async () => {
    ({ app, close } = await createTestApp());
    session = await login(app);
  });
  after(async () => {
    await close();
    s.cleanup();
  });

  test('an Ed25519 key inside a PFX is refused with 422 UNSUPPORTED_KEY_TYPE, not a 500', async () => {
    openssl(['genpkey', '-algorithm', 'ed25519', '-out', s.file('ed.key')]);
    openssl([
      'pkcs12',
      '-export',
      '-nocerts',
      '-inkey',
      s.file('ed.key'),
      '-passout',
      'pass:pw',
      '-out',
      s.file('ed.pfx'),
    ]);
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      s.file('rsa.key'),
      '-out',
      s.file('rsa.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=ed.example.com',
    ]);
    const body = multipart([
      { name: 'file', filename: 'server.crt', data: fs.readFileSync(s.file('rsa.pem')) },
      { name: 'file', filename: 'key.pfx', data: fs.readFileSync(s.file('ed.pfx')) },
      { name: 'password', value: 'pw' },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/certificates',
      headers: { ...session.headers, ...body.headers },
      payload: body.payload,
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'UNSUPPORTED_KEY_TYPE');
  });
});
