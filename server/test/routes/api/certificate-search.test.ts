import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CertificateStatus } from '@certdesk/shared';
import Database from 'better-sqlite3';
import { migrations } from '../../../src/db/migrations.js';
import { migrate } from '../../../src/db/open.js';
import { createTestApp, type TestApp, tempDir } from '../../support/app.js';
import { makePki, type TestChain } from '../../support/pki.js';
import { addBinding, seedCertificate, setActive } from '../../support/seed.js';

/**
 * Inventory search and counts at the store level (issue 15): what a query finds (host names, wildcard
 * names, labels, issuer, hex identifiers, ids), that a total counts each certificate once, and that
 * kept counts follow every write and the clock.
 */
let app: TestApp;
let close: () => Promise<void>;
let pki: TestChain;
const ids: Record<string, number> = {};
const STATUSES: CertificateStatus[] = ['active', 'available', 'expired', 'pending_key', 'superseded'];

before(async () => {
  ({ app, close } = await createTestApp());
  pki = await makePki();
  const seed = async (name: string, opts: Parameters<typeof seedCertificate>[2]) => {
    const { id, leaf } = await seedCertificate(app, pki, opts);
    ids[name] = id;
    return leaf;
  };
  await seed('portal', { cn: 'portal.example.com', sans: ['portal.example.com', 'www.portal.example.com'] });
  await seed('wildcard', { cn: '*.apps.example.com', sans: ['*.apps.example.com'], notAfterDays: 30 });
  await seed('label', { cn: 'payroll.corp.test', name: 'Payroll front end', withoutKey: true });
  await seed('ipv6', { cn: 'v6.example.com', sans: ['v6.example.com', '2001:db8::10'], notAfterDays: 3 });
  await seed('expired', { cn: 'old.example.com', notBeforeDays: -100, notAfterDays: -10 });
  await seed('superseded', { cn: 'portal2.example.com', notAfterDays: 60 });
  app.db.prepare('UPDATE certificates SET superseded_by_id = ? WHERE id = ?').run(ids.portal, ids.superseded);
  setActive(app, ids.portal!);
});
after(async () => close());

const list = (opts: Parameters<TestApp['certificateQueries']['list']>[0]) =>
  app.certificateQueries.list(opts);
const found = (q: string) =>
  list({ q, limit: 500 })
    .items.map((i) => i.id)
    .sort((a, b) => a - b);

describe('what a search finds', () => {
  test('host names by the start of any word, a wildcard name by a host it covers', () => {
    assert.deepEqual(
      found('portal'),
      [ids.portal, ids.superseded].sort((a, b) => a! - b!),
    );
    assert.deepEqual(found('www.portal'), [ids.portal]);
    assert.deepEqual(found('foo.apps.example.com'), [ids.wildcard], 'the wildcard covers it');
    assert.deepEqual(found('apps.example'), [ids.wildcard]);
    assert.deepEqual(found('ortal'), [], 'not inside a word');
    assert.deepEqual(found('2001:db8'), [ids.ipv6], 'an IPv6 address by its start');
  });

  test('the label, the issuer, the hex identifiers in any spelling, and the id', () => {
    const row = app.certificates.get(ids.label!)!;
    assert.deepEqual(found('front end'), [ids.label]);
    assert.deepEqual(found('PAYROLL'), [ids.label]);
    assert.equal(list({ q: 'Issuing CA' }).total, 6);
    const sha256 = row.fingerprint_sha256;
    const pairs = (hex: string, sep: string) => hex.match(/../g)!.join(sep);
    assert.deepEqual(found(pairs(sha256, ':')), [ids.label]);
    assert.deepEqual(found(pairs(sha256, ' ').toLowerCase()), [ids.label]);
    assert.deepEqual(found(sha256.slice(0, 16)), [ids.label]);
    assert.deepEqual(found(pairs(row.thumbprint_sha1.slice(0, 10), ':')), [ids.label]);
    assert.deepEqual(found(row.serial_number.slice(0, 12).toLowerCase()), [ids.label]);
    assert.ok(found(String(ids.label)).includes(ids.label!), 'a number finds the id');
  });

  test('identifiers and hosts as they are pasted: whole or prefix, colons or not, openssl labels, URLs', () => {
    const row = app.certificates.get(ids.label!)!;
    const pairs = (hex: string, sep: string) => hex.match(/../g)!.join(sep);
    const sha1 = row.thumbprint_sha1;
    for (const q of [sha1, sha1.toLowerCase(), pairs(sha1, ':'), `sha1 Fingerprint=${pairs(sha1, ':')}`])
      assert.deepEqual(found(q), [ids.label], q);
    const sha256 = row.fingerprint_sha256;
    for (const q of [sha256, `SHA256 Fingerprint=${pairs(sha256, ':')}`, pairs(sha256.slice(0, 20), ':')])
      assert.deepEqual(found(q), [ids.label], q);
    const serial = row.serial_number;
    for (const q of [serial, serial.toLowerCase(), `0x${serial}`, pairs(serial, ':')])
      assert.deepEqual(found(q), [ids.label], q);
    for (const q of [
      'FOO.APPS.EXAMPLE.COM',
      'foo.apps.example.com.',
      'https://foo.apps.example.com:8443/login?x=1',
    ])
      assert.deepEqual(found(q), [ids.wildcard], q);
    assert.deepEqual(found('https://portal.example.com/'), [ids.portal]);
  });
});

describe('counts', () => {
  test('a certificate with several matching names counts once; statuses add up to the total', () => {
    const all = list({ q: 'example.com', limit: 500 });
    assert.equal(all.total, all.items.length);
    assert.equal(new Set(all.items.map((i) => i.id)).size, all.items.length);
    let sum = 0;
    for (const status of STATUSES) {
      const page = list({ q: 'example.com', status, limit: 500 });
      assert.equal(page.total, page.items.length, status);
      assert.ok(
        page.items.every((i) => i.status === status),
        status,
      );
      sum += page.total;
    }
    assert.equal(sum, all.total);
    assert.deepEqual(app.certificateQueries.counts(), {
      total: 6,
      active: 1,
      available: 2,
      expired: 1,
      pending_key: 1,
      superseded: 1,
    });
  });

  test('pages past the middle (read from the other end) are the same rows as one long page', () => {
    const sorts = ['notAfter', 'commonName', 'issuer', 'keyType', 'serialNumber', 'createdAt', 'status'];
    for (const sort of sorts)
      for (const order of ['asc', 'desc'] as const)
        for (const scope of [{}, { q: 'example.com' }, { status: 'available' as const }])
          for (const size of [1, 2, 4]) {
            const whole = list({ ...scope, sort, order, limit: 500 }).items.map((i) => i.id);
            const paged: number[] = [];
            for (let offset = 0; offset < whole.length + size; offset += size)
              paged.push(...list({ ...scope, sort, order, limit: size, offset }).items.map((i) => i.id));
            assert.deepEqual(paged, whole, `${sort} ${order} ${JSON.stringify(scope)} by ${size}`);
          }
  });

  test('sort by status pages through the statuses in order, each by id', () => {
    for (const order of ['asc', 'desc'] as const) {
      const whole = list({ sort: 'status', order, limit: 500 }).items;
      const rank = (s: CertificateStatus) => STATUSES.indexOf(s);
      const sign = order === 'asc' ? 1 : -1;
      const sorted = [...whole].sort((a, b) => sign * (rank(a.status) - rank(b.status) || a.id - b.id));
      assert.deepEqual(
        whole.map((i) => i.id),
        sorted.map((i) => i.id),
      );
      const paged = [0, 2, 4].flatMap((offset) => list({ sort: 'status', order, limit: 2, offset }).items);
      assert.deepEqual(
        paged.map((i) => i.id),
        whole.map((i) => i.id),
        order,
      );
    }
  });

  test('kept counts follow writes, bindings, the active certificate and the clock', async () => {
    const pending = () => list({ status: 'pending_key' }).total;
    const search = () => list({ q: 'example.com', offset: 50 }).total;
    assert.equal(pending(), 1);
    const before = search();
    // Every page past the first collects (6 certificates): the sorted matches kept for the next pages.
    const pages = () => [1, 2, 3].flatMap((offset) => list({ q: 'example.com', limit: 1, offset }).items);
    const pagesBefore = pages().map((i) => i.id);
    const added = await seedCertificate(app, pki, { cn: 'new.example.com', withoutKey: true });
    assert.equal(search(), before + 1, 'a new certificate');
    const whole = list({ q: 'example.com', limit: 500 }).items.map((i) => i.id);
    assert.ok(whole.includes(added.id));
    assert.deepEqual(
      pages().map((i) => i.id),
      whole.slice(1, 4),
      'kept matches follow a write',
    );
    assert.notDeepEqual(pagesBefore, [], 'pages were read before the write');
    assert.equal(pending(), 2);
    app.db.transaction(() => {
      app.certificates.attachKey(
        added.id,
        app.privateKeys.insert(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
      );
    })();
    assert.equal(pending(), 1, 'a key attached');
    assert.equal(list({ status: 'active' }).total, 1);
    addBinding(app, 'bound.example.com', added.id);
    assert.equal(list({ status: 'active' }).total, 2, 'a binding');
    assert.equal(list({ q: 'new.example', status: 'active' }).total, 1);
    setActive(app, ids.wildcard!);
    assert.deepEqual(
      list({ status: 'active', limit: 10 })
        .items.map((i) => i.id)
        .sort((a, b) => a - b),
      [ids.wildcard, added.id].sort((a, b) => a! - b!),
      'the active certificate changed',
    );
    setActive(app, ids.portal!);
    const later = new Date(Date.now() + 5 * 86_400_000);
    assert.equal(list({ status: 'expired' }).total, 1);
    assert.equal(list({ status: 'expired', now: later }).total, 2, 'a certificate expired since');
    assert.equal(list({ q: 'v6', status: 'expired', now: later }).total, 1);
    assert.equal(list({ status: 'expired' }).total, 1, 'and back: counts are per instant');
    app.db.prepare('DELETE FROM bindings WHERE certificate_id = ?').run(added.id);
    assert.equal(list({ status: 'active' }).total, 1, 'a binding removed');
    app.certificateLifecycle.delete(added.id);
    assert.equal(search(), before, 'a deletion');
  });
});

test('migration 4 indexes the certificates stored before the search index existed', () => {
  const dir = tempDir();
  const db = new Database(`${dir}/certdesk.db`);
  try {
    for (const [i, sql] of migrations.slice(0, 2).entries()) {
      db.exec(sql as string);
      db.pragma(`user_version = ${i + 1}`);
    }
    const row = app.certificates.get(ids.label!)!;
    const { id: _id, key_id: _key, previous_version_id: _p, superseded_by_id: _s, ...columns } = row;
    const names = Object.keys(columns);
    db.prepare(
      `INSERT INTO certificates (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`,
    ).run(columns);
    migrate(db);
    const terms = db.prepare('SELECT term FROM certificate_search').pluck().all() as string[];
    assert.ok(terms.includes('payrollfrontend'));
    assert.ok(terms.includes(row.fingerprint_sha256.toLowerCase()));
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
