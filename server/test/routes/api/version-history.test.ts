import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CertificateDetail } from '@certdesk/shared';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { makeLeaf, makePki, type TestChain } from '../../support/pki.js';
import { addBinding, insertCertificate, setActive } from '../../support/seed.js';

/**
 * The version history on a certificate's page (issue 14, item 5): after "Replace previous version" the
 * active certificate lists the versions it replaced, and any of them can be restored from there.
 */
describe('version history and restore from the active certificate', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let session: Session;
  let pki: TestChain;

  before(async () => {
    ({ app, close } = await createTestApp());
    session = await login(app);
    pki = await makePki();
  });
  after(async () => close());

  const detail = async (id: number) => {
    const res = await app.inject({ method: 'GET', url: `/api/certificates/${id}`, headers: session.headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as CertificateDetail;
  };
  const post = (url: string) => app.inject({ method: 'POST', url, headers: session.headers });
  const activeId = () =>
    JSON.parse(
      (app.db.prepare("SELECT value FROM kv WHERE key = 'server_settings'").get() as { value: string }).value,
    ).activeCertificateId as number;
  const bindingOf = (id: number) =>
    (app.db.prepare('SELECT certificate_id FROM bindings WHERE id = ?').get(id) as { certificate_id: number })
      .certificate_id;
  const version = async (previousVersionId: number | null, notAfterDays = 90) =>
    insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, { cn: 'history.example.test', notAfterDays }),
      pki,
      previousVersionId,
    }).id;

  test('three versions: the newest lists both earlier ones and restores the oldest in one step', async () => {
    const v1 = await version(null, 30);
    setActive(app, v1);
    const binding = addBinding(app, 'history.example.test', v1);
    const v2 = await version(v1, 60);
    assert.equal((await post(`/api/certificates/${v2}/promote`)).statusCode, 200);
    const v3 = await version(v2, 90);
    assert.equal((await post(`/api/certificates/${v3}/promote`)).statusCode, 200);
    assert.equal(activeId(), v3);

    const newest = await detail(v3);
    assert.equal(newest.status, 'active');
    assert.deepEqual(
      newest.versionHistory.map((v) => [v.id, v.status, v.supersededById, v.hasKey, v.expired]),
      [
        [v2, 'superseded', v3, true, false],
        [v1, 'superseded', v2, true, false],
      ],
    );
    assert.equal((await detail(v1)).versionHistory.length, 0);
    assert.deepEqual(
      (await detail(v2)).versionHistory.map((v) => v.id),
      [v1],
    );

    // Restoring v1 takes back what is served now (v3's usages), not v2's (which has none left).
    const restored = await post(`/api/certificates/${v1}/restore`);
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal(restored.json().movedActive, true);
    assert.deepEqual(restored.json().movedBindings, ['history.example.test']);
    assert.equal(activeId(), v1);
    assert.equal(bindingOf(binding), v1);
    assert.equal((await detail(v1)).status, 'active');
    assert.equal((await detail(v3)).status, 'available');
    assert.equal((await detail(v2)).status, 'superseded', 'the middle version stays superseded');
    const audit = app.db
      .prepare("SELECT details FROM audit_log WHERE action = 'certificate.restore' ORDER BY id DESC")
      .get() as { details: string };
    assert.deepEqual(JSON.parse(audit.details), {
      from: v3,
      to: v1,
      movedActive: true,
      movedBindings: ['history.example.test'],
    });
  });

  test('an expired earlier version is listed as expired (the page offers no restore for it)', async () => {
    const old = insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, {
        cn: 'lapsed.example.test',
        notBeforeDays: -90,
        notAfterDays: -1,
      }),
      pki,
    }).id;
    const fresh = await version(old);
    app.db.prepare('UPDATE certificates SET superseded_by_id = ? WHERE id = ?').run(fresh, old);
    const [entry] = (await detail(fresh)).versionHistory;
    assert.equal(entry?.id, old);
    assert.equal(entry?.expired, true);
    const refused = await post(`/api/certificates/${old}/restore`);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'CERTIFICATE_EXPIRED');
  });
});
