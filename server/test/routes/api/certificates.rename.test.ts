import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CertificateDetail } from '@certdesk/shared';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { makePki, type TestChain } from '../../support/pki.js';
import { seedCertificate } from '../../support/seed.js';

/** Rename (PATCH /api/certificates/:id, audited) and export as .p7b through the route. */
describe('rename a certificate, export it as .p7b', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let session: Session;
  let pki: TestChain;
  let id: number;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-p7b-'));

  before(async () => {
    ({ app, close } = await createTestApp());
    session = await login(app);
    pki = await makePki();
    id = (await seedCertificate(app, pki, { cn: 'rename.example.test' })).id;
  });
  after(async () => {
    await close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const patch = (url: string, payload: unknown) =>
    app.inject({ method: 'PATCH', url, payload: payload as object, headers: session.headers });
  const audit = () =>
    app.db
      .prepare("SELECT target, details FROM audit_log WHERE action = 'certificate.rename' ORDER BY id")
      .all() as {
      target: string;
      details: string;
    }[];

  test('PATCH sets the display name, trimmed; "" clears it; each change audited with before and after', async () => {
    const res = await patch(`/api/certificates/${id}`, { name: '  Intranet portal 2027 ' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().name, 'Intranet portal 2027');
    assert.equal(res.json().commonName, 'rename.example.test');
    const detail = await app.inject({
      method: 'GET',
      url: `/api/certificates/${id}`,
      headers: session.headers,
    });
    assert.equal((detail.json() as CertificateDetail).name, 'Intranet portal 2027');

    // The inventory search finds it by its new name (any word of it), and no longer by a removed one.
    const search = async (q: string) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/certificates?q=${encodeURIComponent(q)}`,
          headers: session.headers,
        })
      ).json().items as { id: number }[];
    assert.deepEqual(
      (await search('portal 2027')).map((c) => c.id),
      [id],
    );
    assert.deepEqual(
      (await search('Intranet')).map((c) => c.id),
      [id],
    );
    await patch(`/api/certificates/${id}`, { name: 'Extranet' });
    assert.deepEqual(await search('Intranet'), []);
    assert.deepEqual(
      (await search('extranet')).map((c) => c.id),
      [id],
    );

    const cleared = await patch(`/api/certificates/${id}`, { name: '' });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().name, null);
    assert.deepEqual(
      audit().map((a) => [a.target, JSON.parse(a.details)]),
      [
        [String(id), { from: null, to: 'Intranet portal 2027' }],
        [String(id), { from: 'Intranet portal 2027', to: 'Extranet' }],
        [String(id), { from: 'Extranet', to: null }],
      ],
    );
  });

  test('refusals: unknown id 404, a name over 200 characters 400, no CSRF token 403', async () => {
    const missing = await patch('/api/certificates/99999', { name: 'x' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'CERTIFICATE_NOT_FOUND');
    const long = await patch(`/api/certificates/${id}`, { name: 'n'.repeat(201) });
    assert.equal(long.statusCode, 400);
    const noCsrf = await app.inject({
      method: 'PATCH',
      url: `/api/certificates/${id}`,
      payload: { name: 'x' },
      headers: { cookie: session.cookie },
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(audit().length, 3, 'refusals are not audited');
  });

  test('export p7b: DER PKCS#7 with the certificate and its intermediate, read by openssl pkcs7', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/certificates/${id}/export`,
      payload: { format: 'p7b' },
      headers: session.headers,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/x-pkcs7-certificates');
    assert.match(String(res.headers['content-disposition']), /filename="rename\.example\.test\.p7b"/);
    const file = path.join(work, 'export.p7b');
    fs.writeFileSync(file, res.rawPayload);
    const out = spawnSync('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-in', file], {
      encoding: 'utf8',
    });
    assert.equal(out.status, 0, out.stderr);
    const pems = out.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const row = app.certificates.get(id)!;
    assert.deepEqual(
      pems.map((p) => new X509Certificate(p).fingerprint256),
      [new X509Certificate(row.cert_der).fingerprint256, pki.intermediate.cert.fingerprint256],
    );
  });
});
