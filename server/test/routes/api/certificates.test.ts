import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CertificateDetail, CertificateList } from '@certdesk/shared';
import { ADMIN_PASSWORD, createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { makeLeaf, makePki, type TestChain } from '../../support/pki.js';
import { addBinding, insertCertificate, seedCertificate, setActive } from '../../support/seed.js';

let app: TestApp;
let close: () => Promise<void>;
let dataDir: string;
let session: Session;
let pki: TestChain;
const ids: Record<string, number> = {};

before(async () => {
  ({ app, close, dataDir } = await createTestApp());
  session = await login(app);
  pki = await makePki();
  const seed = async (name: string, opts: Parameters<typeof seedCertificate>[2]) => {
    ids[name] = (await seedCertificate(app, pki, opts)).id;
  };
  await seed('active', {
    cn: 'www.example.test',
    sans: ['www.example.test', 'example.test'],
    key: { type: 'rsa' },
    notAfterDays: 200,
  });
  await seed('bound', { cn: 'api.example.test', sans: ['api.example.test', '10.1.2.3'], notAfterDays: 5 });
  await seed('expiredActive', { cn: 'old-but-served.example.test', notBeforeDays: -100, notAfterDays: -2 });
  await seed('expired', { cn: 'gone.example.test', notBeforeDays: -100, notAfterDays: -30 });
  await seed('pending', { cn: 'nokey.example.test', withoutKey: true, notAfterDays: 12 });
  await seed('available', {
    cn: 'spare.example.test',
    subjectRest: 'O=Spare Org, L=Lyon, ST=Rhone, C=FR',
    notAfterDays: 25,
  });
  await seed('superseded', { cn: 'renewed.example.test', notAfterDays: 20 });
  app.certificates.setSupersededBy(ids.superseded!, ids.available!);
  setActive(app, ids.active!);
  addBinding(app, 'api.example.test', ids.bound!);
  addBinding(app, 'legacy.example.test', ids.expiredActive!);
});
after(async () => close());

const get = async (url: string) => app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
const list = async (qs: string) => {
  const res = await get(`/api/certificates?${qs}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as CertificateList;
};
const post = (url: string, payload?: object) =>
  app.inject({ method: 'POST', url, headers: session.headers, ...(payload ? { payload } : {}) });
const auditOf = (action: string) =>
  app.db.prepare('SELECT target, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    target: string;
    details: string;
  }[];

describe('GET /api/certificates', () => {
  test('status is computed with its precedence, expired is flagged separately', async () => {
    const { items, total } = await list('limit=100');
    assert.equal(total, 7);
    const by = Object.fromEntries(items.map((i) => [i.id, i]));
    assert.equal(by[ids.active!]?.status, 'active');
    assert.equal(by[ids.bound!]?.status, 'active');
    assert.equal(by[ids.expiredActive!]?.status, 'active');
    assert.equal(
      by[ids.expiredActive!]?.expired,
      true,
      'an expired certificate that is served stays visibly expired',
    );
    assert.ok((by[ids.expiredActive!]?.daysLeft ?? 0) < 0);
    assert.equal(by[ids.expired!]?.status, 'expired');
    assert.equal(by[ids.pending!]?.status, 'pending_key');
    assert.equal(by[ids.pending!]?.hasKey, false);
    assert.equal(by[ids.available!]?.status, 'available');
    assert.equal(by[ids.superseded!]?.status, 'superseded');
    assert.equal(by[ids.bound!]?.daysLeft, 4, 'five days minus a moment is 4 whole days');
    assert.deepEqual(by[ids.bound!]?.subjectAltNames, ['api.example.test', '10.1.2.3']);
    assert.equal(by[ids.active!]?.keyType, 'rsa');
    assert.equal(by[ids.active!]?.keySize, 2048);
    assert.equal(by[ids.bound!]?.curve, 'P-256');
    assert.match(by[ids.active!]?.thumbprintSha1 ?? '', /^[0-9A-F]{40}$/);
    assert.equal(by[ids.active!]?.issuerCommonName, 'certdesk Test Issuing CA');
  });

  test('search: CN, SAN, issuer, serial prefix, thumbprint prefix with separators', async () => {
    assert.deepEqual(
      (await list('q=spare')).items.map((i) => i.id),
      [ids.available],
    );
    assert.deepEqual(
      (await list('q=10.1.2')).items.map((i) => i.id),
      [ids.bound],
    );
    assert.deepEqual((await list(`q=${encodeURIComponent('EXAMPLE.TEST')}&limit=1`)).total, 7);
    assert.equal((await list('q=Issuing%20CA')).total, 7);
    const target = (await list('q=gone')).items[0]!;
    const serialPrefix = target.serialNumber.slice(0, 14);
    assert.ok((await list(`q=${serialPrefix}`)).items.some((i) => i.id === ids.expired));
    const thumb = target.thumbprintSha1.slice(0, 8).toLowerCase().replace(/(..)/g, '$1:').replace(/:$/, '');
    assert.deepEqual(
      (await list(`q=${encodeURIComponent(thumb)}`)).items.map((i) => i.id),
      [ids.expired],
    );
    assert.equal((await list('q=nothing-matches-this')).total, 0);
    assert.equal((await list(`q=${encodeURIComponent("%_'\\")}`)).total, 0, 'LIKE wildcards are literal');
  });

  test('filter, sort, order, pagination', async () => {
    const active = await list('status=active');
    assert.deepEqual(active.items.map((i) => i.id).sort(), [ids.active, ids.bound, ids.expiredActive].sort());
    assert.equal(active.total, 3);
    assert.deepEqual(
      (await list('status=expired')).items.map((i) => i.id),
      [ids.expired],
    );

    const asc = await list('sort=notAfter&order=asc&limit=100');
    const dates = asc.items.map((i) => i.notAfter);
    assert.deepEqual(dates, [...dates].sort());
    const desc = await list('sort=daysLeft&order=desc&limit=100');
    assert.deepEqual(
      desc.items.map((i) => i.id),
      asc.items.map((i) => i.id).reverse(),
    );
    const names = (await list('sort=commonName&limit=100')).items.map((i) => i.commonName);
    assert.deepEqual(names, [...names].sort());

    const page1 = await list('sort=commonName&limit=3&offset=0');
    const page3 = await list('sort=commonName&limit=3&offset=6');
    assert.equal(page1.items.length, 3);
    assert.equal(page3.items.length, 1);
    assert.equal(page3.total, 7);
    assert.equal(page3.items[0]?.commonName, names[6]);
  });

  test('bad query values are 400 with a code', async () => {
    for (const qs of [
      'status=bogus',
      'sort=cert_der',
      'order=sideways',
      'limit=0',
      'limit=100000',
      'offset=-1',
    ]) {
      const res = await get(`/api/certificates?${qs}`);
      assert.equal(res.statusCode, 400, qs);
      assert.ok(res.json().code, qs);
    }
  });

  test('needs a session', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/certificates' });
    assert.equal(res.statusCode, 401);
  });
});

describe('GET /api/certificates/:id', () => {
  test('details: fields, decoded extensions, chain, PEMs, usages, renew link', async () => {
    const res = await get(`/api/certificates/${ids.available}`);
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json() as CertificateDetail;
    assert.equal(d.commonName, 'spare.example.test');
    assert.equal(d.status, 'available');
    assert.equal(d.signatureAlgorithm, 'ecdsa-with-SHA256');
    assert.equal(d.publicKey, 'ECDSA P-256');
    assert.deepEqual(
      d.subjectFields.map((f) => [f.type, f.value]),
      [
        ['CN', 'spare.example.test'],
        ['O', 'Spare Org'],
        ['L', 'Lyon'],
        ['ST', 'Rhone'],
        ['C', 'FR'],
      ],
    );
    assert.deepEqual(d.keyUsage, ['Digital Signature', 'Key Encipherment']);
    assert.deepEqual(
      d.extendedKeyUsage.map((e) => e.name),
      ['Server Authentication', 'Client Authentication'],
    );
    assert.deepEqual(d.basicConstraints, { ca: false, pathLength: null });
    const ext = (oid: string) => d.extensions.find((e) => e.oid === oid);
    assert.match(
      ext('1.3.6.1.5.5.7.1.1')?.value.join('\n') ?? '',
      /CA Issuers: http:\/\/pki\.example\.test\/issuing\.crt/,
    );
    assert.match(ext('2.5.29.31')?.value.join('\n') ?? '', /http:\/\/pki\.example\.test\/issuing\.crl/);
    assert.match(ext('2.5.29.32')?.value.join('\n') ?? '', /2\.23\.140\.1\.2\.2/);
    assert.ok(ext('2.5.29.14') && ext('2.5.29.35'), 'SKI and AKI');
    assert.equal(ext('2.5.29.19')?.critical, true);

    assert.deepEqual(
      d.chain.map((c) => [c.role, c.status]),
      [
        ['leaf', 'ok'],
        ['intermediate', 'ok'],
        ['root', 'ok'],
      ],
    );
    assert.equal(d.chain[2]?.commonName, 'certdesk Test Root CA');
    assert.equal((d.pem.fullchain.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    assert.ok(d.pem.fullchain.startsWith(d.pem.cert));
    assert.deepEqual(d.report, { checks: [{ id: 'seeded', status: 'pass', message: 'Stored by a test.' }] });
    assert.match(d.fingerprintSha256, /^[0-9A-F]{64}$/);

    const url = new URL(d.renewUrl, 'http://x');
    assert.equal(url.pathname, '/csrs/new');
    assert.equal(url.searchParams.get('commonName'), 'spare.example.test');
    assert.equal(url.searchParams.get('organization'), 'Spare Org');
    assert.equal(url.searchParams.get('locality'), 'Lyon');
    assert.equal(url.searchParams.get('state'), 'Rhone');
    assert.equal(url.searchParams.get('country'), 'FR');
    assert.deepEqual(url.searchParams.getAll('san'), ['spare.example.test']);
    assert.equal(url.searchParams.get('keyType'), 'ec');
    assert.equal(url.searchParams.get('curve'), 'P-256');
    assert.equal(url.searchParams.get('renews'), String(ids.available));

    // The superseded certificate points at what replaced it; the replacement lists usages.
    const old = (await get(`/api/certificates/${ids.superseded}`)).json() as CertificateDetail;
    assert.equal(old.supersededBy?.id, ids.available);
    const bound = (await get(`/api/certificates/${ids.bound}`)).json() as CertificateDetail;
    assert.deepEqual(
      bound.usedBy.bindings.map((b) => b.hostname),
      ['api.example.test'],
    );
    const active = (await get(`/api/certificates/${ids.active}`)).json() as CertificateDetail;
    assert.equal(active.usedBy.active, true);
    assert.equal(new URL(active.renewUrl, 'http://x').searchParams.get('keySize'), '2048');
  });

  test('an expired leaf shows as expired in the path; unknown id 404, bad id 400', async () => {
    const d = (await get(`/api/certificates/${ids.expired}`)).json() as CertificateDetail;
    assert.equal(d.chain[0]?.status, 'expired');
    assert.equal(d.expired, true);
    assert.equal((await get('/api/certificates/999999')).json().code, 'CERTIFICATE_NOT_FOUND');
    assert.equal((await get('/api/certificates/999999')).statusCode, 404);
    assert.equal((await get('/api/certificates/abc')).statusCode, 400);
  });
});

describe('POST /api/certificates/:id/export', () => {
  test('public formats need no password and are not audited', async () => {
    for (const format of ['pem', 'fullchain', 'chain', 'der']) {
      const res = await post(`/api/certificates/${ids.available}/export`, { format });
      assert.equal(res.statusCode, 200, `${format}: ${res.body}`);
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="spare\.example\.test\./,
      );
    }
    assert.equal(auditOf('certificate.export').length, 0);
  });

  test('pfx needs the account password, is audited without secrets, and openssl reads it', async () => {
    const url = `/api/certificates/${ids.available}/export`;
    const none = await post(url, { format: 'pfx', pfxPassword: 'pfx-secret' });
    assert.equal(none.statusCode, 403);
    assert.equal(none.json().code, 'REAUTH_FAILED');
    assert.match(none.json().message, /Enter your account password/, 'missing, not wrong');
    const wrong = await post(url, { format: 'pfx', pfxPassword: 'pfx-secret', password: 'not it' });
    assert.equal(wrong.json().code, 'REAUTH_FAILED');
    assert.match(wrong.json().message, /password is wrong/);
    const noPfxPass = await post(url, { format: 'pfx', password: ADMIN_PASSWORD });
    assert.equal(noPfxPass.statusCode, 400);
    assert.equal(noPfxPass.json().code, 'PFX_PASSWORD_REQUIRED');

    const ok = await post(url, {
      format: 'pfx',
      pfxPassword: 'pfx-secret',
      pfxEncryption: 'legacy',
      password: ADMIN_PASSWORD,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.headers['content-type'], 'application/x-pkcs12');
    const file = path.join(dataDir, 'out.pfx');
    fs.writeFileSync(file, ok.rawPayload);
    const r = spawnSync(
      'openssl',
      ['pkcs12', '-legacy', '-info', '-nodes', '-in', file, '-passin', 'pass:pfx-secret'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /BEGIN PRIVATE KEY/);
    assert.match(r.stderr, /MAC: sha1/);

    const key = await post(url, { format: 'key', password: ADMIN_PASSWORD });
    assert.equal(key.statusCode, 200);
    assert.match(key.body, /BEGIN PRIVATE KEY/);

    const entries = auditOf('certificate.export');
    assert.equal(entries.length, 2);
    assert.equal(entries[0]?.target, String(ids.available));
    assert.deepEqual(JSON.parse(entries[0]!.details).format, 'pfx');
    const all = JSON.stringify(app.db.prepare('SELECT * FROM audit_log').all());
    assert.ok(!all.includes('pfx-secret') && !all.includes(ADMIN_PASSWORD), 'no password in the audit log');
  });

  test('no key: 409 NO_PRIVATE_KEY; bad format: 400', async () => {
    const res = await post(`/api/certificates/${ids.pending}/export`, {
      format: 'key',
      password: ADMIN_PASSWORD,
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'NO_PRIVATE_KEY');
    assert.equal((await post(`/api/certificates/${ids.pending}/export`, { format: 'jks' })).statusCode, 400);
    assert.equal((await post('/api/certificates/999999/export', { format: 'pem' })).statusCode, 404);
  });
});

describe('DELETE /api/certificates/:id', () => {
  const del = (id: number) =>
    app.inject({ method: 'DELETE', url: `/api/certificates/${id}`, headers: session.headers });

  test('refuses what is active or bound', async () => {
    for (const id of [ids.active!, ids.bound!, ids.expiredActive!]) {
      const res = await del(id);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'CERTIFICATE_IN_USE');
    }
    assert.deepEqual(auditOf('certificate.delete'), []);
  });

  test('deletes the certificate and its key; keeps a key a CSR still holds', async () => {
    const leaf = await seedCertificate(app, pki, { cn: 'delete-me.example.test' });
    const res = await del(leaf.id);
    assert.equal(res.statusCode, 204);
    assert.equal(app.certificates.get(leaf.id), undefined);
    assert.equal(app.privateKeys.load(leaf.keyId!), undefined, 'the key went with it');
    assert.equal(JSON.parse(auditOf('certificate.delete')[0]!.details).keyDeleted, true);

    const shared = await seedCertificate(app, pki, { cn: 'csr-key.example.test' });
    app.csrs.insert({
      keyId: shared.keyId!,
      csrPem: 'x',
      subject: { commonName: 'csr-key.example.test' },
      subjectAltNames: [],
      renewsCertificateId: null,
    });
    assert.equal((await del(shared.id)).statusCode, 204);
    assert.ok(app.privateKeys.load(shared.keyId!), 'the pending CSR keeps its key');
    assert.equal((await del(shared.id)).statusCode, 404);
  });
});

describe('promote and restore', () => {
  test('promote moves active and bindings in one step; restore moves them back', async () => {
    const oldLeaf = await makeLeaf(pki.intermediate, { cn: 'svc.example.test', notAfterDays: 3 });
    const old = insertCertificate(app, { leaf: oldLeaf, pki });
    const hostBinding = addBinding(app, 'svc.example.test', old.id);
    const before = app.db.prepare("SELECT value FROM kv WHERE key = 'server_settings'").get() as {
      value: string;
    };
    setActive(app, old.id);
    const fresh = insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, { cn: 'svc.example.test', notAfterDays: 90 }),
      pki,
      previousVersionId: old.id,
    });

    const promoted = await post(`/api/certificates/${fresh.id}/promote`);
    assert.equal(promoted.statusCode, 200, promoted.body);
    assert.deepEqual(promoted.json().movedBindings, ['svc.example.test']);
    assert.equal(promoted.json().movedActive, true);
    assert.equal(promoted.json().certificate.status, 'active');
    const settings = () =>
      JSON.parse(
        (app.db.prepare("SELECT value FROM kv WHERE key = 'server_settings'").get() as { value: string })
          .value,
      );
    assert.equal(settings().activeCertificateId, fresh.id);
    const binding = () =>
      app.db.prepare('SELECT certificate_id FROM bindings WHERE id = ?').get(hostBinding) as {
        certificate_id: number;
      };
    assert.equal(binding().certificate_id, fresh.id);
    const oldDetail = (await get(`/api/certificates/${old.id}`)).json() as CertificateDetail;
    assert.equal(oldDetail.status, 'superseded');
    assert.equal(oldDetail.supersededBy?.id, fresh.id);
    assert.deepEqual(
      oldDetail.nextVersions.map((v) => v.id),
      [fresh.id],
    );
    const freshDetail = (await get(`/api/certificates/${fresh.id}`)).json() as CertificateDetail;
    assert.equal(freshDetail.previousVersion?.id, old.id);

    const again = await post(`/api/certificates/${fresh.id}/promote`);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'ALREADY_PROMOTED');

    const restored = await post(`/api/certificates/${old.id}/restore`);
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal(settings().activeCertificateId, old.id);
    assert.equal(binding().certificate_id, old.id);
    assert.equal(((await get(`/api/certificates/${old.id}`)).json() as CertificateDetail).status, 'active');
    assert.equal(
      ((await get(`/api/certificates/${fresh.id}`)).json() as CertificateDetail).status,
      'available',
    );

    const notSuperseded = await post(`/api/certificates/${old.id}/restore`);
    assert.equal(notSuperseded.statusCode, 409);
    assert.equal(notSuperseded.json().code, 'CERTIFICATE_NOT_SUPERSEDED');

    const p = auditOf('certificate.promote');
    const r = auditOf('certificate.restore');
    assert.equal(p.length, 1);
    assert.equal(r.length, 1);
    assert.deepEqual(JSON.parse(p[0]!.details), {
      from: old.id,
      to: fresh.id,
      movedActive: true,
      movedBindings: ['svc.example.test'],
    });
    app.db.prepare("UPDATE kv SET value = ? WHERE key = 'server_settings'").run(before.value);
    app.db.prepare('DELETE FROM bindings WHERE id = ?').run(hostBinding);
  });

  test('refusals: no previous version, no key, expired', async () => {
    const lone = await post(`/api/certificates/${ids.available}/promote`);
    assert.equal(lone.statusCode, 409);
    assert.equal(lone.json().code, 'NO_PREVIOUS_VERSION');

    const noKey = insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, { cn: 'spare.example.test' }),
      pki,
      withoutKey: true,
      previousVersionId: ids.available,
    });
    const r1 = await post(`/api/certificates/${noKey.id}/promote`);
    assert.equal(r1.statusCode, 409);
    assert.equal(r1.json().code, 'NO_PRIVATE_KEY');

    const expired = insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, {
        cn: 'spare.example.test',
        notBeforeDays: -10,
        notAfterDays: -1,
      }),
      pki,
      previousVersionId: ids.available,
    });
    const r2 = await post(`/api/certificates/${expired.id}/promote`);
    assert.equal(r2.statusCode, 422);
    assert.equal(r2.json().code, 'CERTIFICATE_EXPIRED');
    assert.equal((await post('/api/certificates/999999/restore')).statusCode, 404);
    // Nothing moved on a refusal.
    assert.equal(
      ((await get(`/api/certificates/${ids.available}`)).json() as CertificateDetail).status,
      'available',
    );
  });
});
