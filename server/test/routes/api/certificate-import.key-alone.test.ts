import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, login, multipart, type Session, type TestApp } from '../../support/app.js';
import { type Issued, TestPki } from '../../support/pki.js';

type Part = Parameters<typeof multipart>[0][number];

/**
 * A certificate imported without its key ("pending key") gets it later: a key uploaded alone to the
 * import, or "Attach private key" on the certificate (POST /api/certificates/:id/attach-key).
 */
describe('attaching the private key to a stored certificate', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let s: Session;
  const pki = new TestPki();
  let root: Issued;
  let ica: Issued;

  before(async () => {
    ({ app, close } = await createTestApp());
    s = await login(app);
    root = pki.root('Key Alone Root');
    ica = pki.intermediate('Key Alone CA', root, { key: 'rsa2048' });
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
  const auditActions = (target: number) =>
    (
      app.db
        .prepare("SELECT action FROM audit_log WHERE target = ? AND action LIKE 'certificate.%' ORDER BY id")
        .all(String(target)) as {
        action: string;
      }[]
    ).map((r) => r.action);
  const storedReport = (id: number) =>
    JSON.parse(app.certificates.get(id)!.report_json!) as { checks: { id: string; status: string }[] };

  async function importPending(leaf: Issued): Promise<number> {
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'c.pem', data: leaf.certPem + ica.certPem },
    ]);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().certificate.hasKey, false);
    return res.json().id as number;
  }

  test('a key alone is attached to the stored certificate it belongs to: dry run, then audited', async () => {
    const leaf = pki.leaf('alone.example.test', ica);
    const id = await importPending(leaf);
    assert.equal(storedReport(id).checks.find((c) => c.id === 'key-match')!.status, 'warn');

    const keyOnly: Part[] = [{ name: 'file', filename: 'server.key', data: leaf.keyPem }];
    const dry = await upload('/api/certificates', [...keyOnly, { name: 'dryRun', value: 'true' }]);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json().alreadyStored, { id, name: 'alone.example.test', addsKey: true });
    assert.equal(dry.json().certificate.commonName, 'alone.example.test');
    assert.equal(dry.json().report.checks.find((c: { id: string }) => c.id === 'key-match').status, 'pass');
    assert.equal(app.certificates.get(id)!.key_id, null, 'a dry run stores nothing');

    const keysBefore = count('private_keys');
    const certificatesBefore = count('certificates');
    const real = await upload('/api/certificates', keyOnly);
    assert.equal(real.statusCode, 201, real.body);
    assert.equal(real.json().id, id);
    assert.equal(real.json().certificate.hasKey, true);
    assert.ok(app.certificates.get(id)!.key_id);
    assert.equal(count('private_keys'), keysBefore + 1);
    assert.equal(count('certificates'), certificatesBefore, 'no second certificate');
    assert.equal(storedReport(id).checks.find((c) => c.id === 'key-match')!.status, 'pass');
    assert.deepEqual(auditActions(id), ['certificate.import', 'certificate.attach-key']);
    const details = app.db
      .prepare("SELECT details FROM audit_log WHERE action = 'certificate.attach-key'")
      .get() as { details: string };
    assert.doesNotMatch(details.details, /PRIVATE KEY/);

    // Now it has its key: the same key alone is a certificate that is already stored, not a new one.
    const again = await upload('/api/certificates', [...keyOnly, { name: 'dryRun', value: 'true' }]);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().alreadyStored, { id, name: 'alone.example.test', addsKey: false });
    const dup = await upload('/api/certificates', keyOnly);
    assert.equal(dup.statusCode, 409, dup.body);
    assert.equal(dup.json().code, 'CERTIFICATE_EXISTS');
  });

  test('the certificate again with a key that is not its own: the wrong key is the answer, not "already imported"', async () => {
    const leaf = pki.leaf('wrong-key.example.test', ica);
    const other = pki.leaf('wrong-key-other.example.test', ica);
    const id = await importPending(leaf);
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'c.pem', data: leaf.certPem },
      { name: 'file', filename: 'other.key', data: other.keyPem },
    ]);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'KEY_MISMATCH');
    assert.ok(res.json().report, 'the report says which key was found');
    assert.equal(app.certificates.get(id)!.key_id, null, 'nothing attached');
  });

  test('a key alone that belongs to no stored certificate is refused with a sentence that says so', async () => {
    const stranger = pki.leaf('stranger.example.test', ica);
    const res = await upload('/api/certificates', [
      { name: 'file', filename: 'k.pem', data: stranger.keyPem },
    ]);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'NO_CERTIFICATE');
    assert.match(res.json().message, /no stored certificate has this public key/);
  });

  test('"Attach private key" on a certificate: only its own key, encrypted keys too; then 409', async () => {
    const leaf = pki.leaf('attach.example.test', ica, { key: 'rsa2048' });
    const other = pki.leaf('attach-other.example.test', ica);
    const id = await importPending(leaf);
    const url = `/api/certificates/${id}/attach-key`;

    const wrong = await upload(url, [{ name: 'file', filename: 'other.key', data: other.keyPem }]);
    assert.equal(wrong.statusCode, 422, wrong.body);
    assert.equal(wrong.json().code, 'KEY_MISMATCH');
    assert.ok(wrong.json().report, 'the report says which key was found');
    const none = await upload(url, [{ name: 'file', filename: 'c.pem', data: leaf.certPem }]);
    assert.equal(none.statusCode, 422, none.body);
    assert.match(none.json().message, /holds no private key/);
    assert.equal(app.certificates.get(id)!.key_id, null);

    const encrypted = pki.keyAs(leaf, 'pkcs8', 'key pass');
    const needsPass = await upload(url, [{ name: 'file', filename: 'enc.key', data: encrypted }]);
    assert.equal(needsPass.statusCode, 422, needsPass.body);
    assert.equal(needsPass.json().code, 'KEY_PASSPHRASE_REQUIRED');

    const parts: Part[] = [
      { name: 'file', filename: 'enc.key', data: encrypted },
      { name: 'password', value: 'key pass' },
    ];
    const dry = await upload(url, [...parts, { name: 'dryRun', value: 'true' }]);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.equal(dry.json().dryRun, true);
    assert.equal(app.certificates.get(id)!.key_id, null);
    const ok = await upload(url, parts);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().id, id);
    assert.deepEqual(ok.json().alreadyStored, { id, name: 'attach.example.test', addsKey: true });
    assert.ok(app.certificates.get(id)!.key_id);
    assert.deepEqual(auditActions(id), ['certificate.import', 'certificate.attach-key']);
    const detail = await app.inject({ method: 'GET', url: `/api/certificates/${id}`, headers: s.headers });
    assert.equal(detail.json().hasKey, true);
    assert.equal(detail.json().status, 'available');

    const twice = await upload(url, parts);
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal(twice.json().code, 'CERTIFICATE_HAS_KEY');
    const missing = await upload('/api/certificates/99999/attach-key', parts);
    assert.equal(missing.statusCode, 404, missing.body);
  });
});
