import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Dashboard } from '@certdesk/shared';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { makePki } from '../../support/pki.js';
import { addBinding, seedCertificate, seedCsr, setActive } from '../../support/seed.js';

let app: TestApp;
let close: () => Promise<void>;
let session: Session;
const ids: Record<string, number> = {};

before(async () => {
  ({ app, close } = await createTestApp());
  session = await login(app);
  const pki = await makePki();
  const seed = async (name: string, opts: Parameters<typeof seedCertificate>[2]) => {
    ids[name] = (await seedCertificate(app, pki, opts)).id;
  };
  await seed('active', { cn: 'www.example.test', notAfterDays: 6 });
  await seed('in20', { cn: 'twenty.example.test', notAfterDays: 20 });
  await seed('in12', { cn: 'twelve.example.test', notAfterDays: 12, withoutKey: true });
  await seed('far', { cn: 'far.example.test', notAfterDays: 300 });
  await seed('expired', { cn: 'expired.example.test', notBeforeDays: -60, notAfterDays: -3 });
  await seed('expiredServed', {
    cn: 'served-but-expired.example.test',
    notBeforeDays: -90,
    notAfterDays: -40,
  });
  await seed('oldSuperseded', { cn: 'www.example.test', notBeforeDays: -60, notAfterDays: 2 });
  app.certificates.setSupersededBy(ids.oldSuperseded!, ids.active!);
  setActive(app, ids.active!);
  addBinding(app, 'far.example.test', ids.far!);
  addBinding(app, 'served-but-expired.example.test', ids.expiredServed!);
  await seedCsr(app, { commonName: 'www.example.test', keyType: 'ec', renewsCertificateId: ids.active! });
});
after(async () => close());

const dashboard = async () => {
  const res = await app.inject({ method: 'GET', url: '/api/dashboard', headers: { cookie: session.cookie } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Dashboard;
};

test('dashboard: active certificate, counts, expiring within thresholds, expired, pending CSRs', async () => {
  const d = await dashboard();
  assert.deepEqual(d.thresholds, [30, 14, 7]);
  assert.equal(d.active?.id, ids.active);
  assert.equal(d.active?.daysLeft, 5);
  assert.deepEqual(d.counts, {
    total: 7,
    active: 3,
    available: 1,
    pending_key: 1,
    expired: 1,
    superseded: 1,
  });
  assert.deepEqual(
    d.expiringSoon.map((c) => [c.commonName, c.threshold]),
    [
      ['www.example.test', 7],
      ['twelve.example.test', 14],
      ['twenty.example.test', 30],
    ],
    'soonest first, superseded left out, each with the tightest threshold crossed',
  );
  // Expired and still served comes first, even though the other one expired more recently.
  assert.deepEqual(
    d.expired.map((c) => c.id),
    [ids.expiredServed, ids.expired],
  );
  assert.equal(d.expired[0]?.status, 'active');
  assert.equal(d.expired[0]?.expired, true);
  assert.equal(d.pendingCsrs.length, 1);
  assert.equal(d.pendingCsrs[0]?.renewsCertificateId, ids.active);
});

test('expiry thresholds: read, change (audited), validate', async () => {
  const put = (payload: unknown) =>
    app.inject({
      method: 'PUT',
      url: '/api/settings/expiry',
      headers: session.headers,
      payload: payload as object,
    });
  const r0 = await app.inject({
    method: 'GET',
    url: '/api/settings/expiry',
    headers: { cookie: session.cookie },
  });
  assert.deepEqual(r0.json(), { thresholds: [30, 14, 7] });

  const r1 = await put({ thresholds: [10, 60, 10] });
  assert.equal(r1.statusCode, 200, r1.body);
  assert.deepEqual(r1.json(), { thresholds: [60, 10] });
  const d = await dashboard();
  assert.deepEqual(d.thresholds, [60, 10]);
  assert.deepEqual(
    d.expiringSoon.map((c) => [c.commonName, c.threshold]),
    [
      ['www.example.test', 10],
      ['twelve.example.test', 60],
      ['twenty.example.test', 60],
    ],
  );
  const audit = app.db.prepare("SELECT details FROM audit_log WHERE action = 'settings.expiry'").all() as {
    details: string;
  }[];
  assert.equal(audit.length, 1);
  assert.deepEqual(JSON.parse(audit[0]!.details), { before: [30, 14, 7], after: [60, 10] });

  for (const bad of [
    { thresholds: [] },
    { thresholds: [0] },
    { thresholds: [-5] },
    { thresholds: [1.5] },
    { thresholds: 'x' },
    {},
  ]) {
    const res = await put(bad);
    assert.equal(res.statusCode, 400, JSON.stringify(bad));
    assert.ok(res.json().code);
  }
  const noCsrf = await app.inject({
    method: 'PUT',
    url: '/api/settings/expiry',
    headers: { cookie: session.cookie },
    payload: { thresholds: [5] },
  });
  assert.equal(noCsrf.statusCode, 403);
});
