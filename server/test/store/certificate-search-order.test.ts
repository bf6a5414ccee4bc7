import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { prefixRange, queryKey } from '../../src/cert/search-terms.js';
import type { SearchScope } from '../../src/store/certificate-counts.js';
import { SearchOrder, termPageSql } from '../../src/store/certificate-search-order.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { fastLeafFactory } from '../support/fast-leaf.js';
import { type SeededInventory, seedInventory } from '../support/inventory-seed.js';

/**
 * Pages of large searches (issue 15): a one-term search by expiry read from the search index in order,
 * other searches sorted once and kept. Every page, total and order is checked against a plain query of
 * the same matches, before and after writes (the kept sort must never outlive a write).
 */
let app: TestApp;
let close: () => Promise<void>;
let seeded: SeededInventory;
const DAY = 86_400_000;

before(async () => {
  ({ app, close } = await createTestApp());
  seeded = await seedInventory(app, 240);
  // Ties on the expiry (the id decides) among "example.com" hosts, as an import of one batch makes them.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 20 * DAY);
  for (let i = 0; i < 6; i++) insertLeaf(`tie${i}.example.com`, at);
});
after(async () => close());

let serial = 0x7000;
function insertLeaf(host: string, notAfter: Date): number {
  const makeLeaf = fastLeafFactory({ cert: seeded.pki.intermediate.cert, key: seeded.pki.intermediate.key });
  const cert = makeLeaf({
    serialHex: (serial++).toString(16),
    commonName: host,
    organization: 'Search order',
    dnsNames: [host],
    notBefore: new Date(notAfter.getTime() - 90 * DAY),
    notAfter,
    spki: seeded.cert(0).publicKey.export({ type: 'spki', format: 'der' }),
  });
  return app.db.transaction(() =>
    app.certificates.insert({ cert, chain: [], root: null, keyId: null, name: null }),
  )();
}

const SORTS: Record<string, string[]> = {
  notAfter: ['c.not_after'],
  daysLeft: ['c.not_after'],
  commonName: ['c.common_name COLLATE NOCASE'],
  issuer: ['c.issuer COLLATE NOCASE'],
  keyType: ['c.key_type', 'c.key_size', 'c.curve'],
  serialNumber: ['c.serial_number'],
  notBefore: ['c.not_before'],
  thumbprintSha1: ['c.thumbprint_sha1'],
  createdAt: [],
};

/** The matches of `q` in the list's order, by a query that shares no plan with the list. */
function expected(q: string, sort: string, order: 'asc' | 'desc'): number[] {
  const { lo, hi } = prefixRange(queryKey(q));
  return app.db
    .prepare(
      `SELECT c.id FROM certificates c
       WHERE c.id IN (SELECT certificate_id FROM certificate_search WHERE term >= ? AND term < ?)
       ORDER BY ${[...SORTS[sort]!, 'c.id'].map((col) => `${col} ${order}`).join(', ')}`,
    )
    .pluck()
    .all(lo, hi) as number[];
}

const page = (q: string, sort: string, order: 'asc' | 'desc', limit: number, offset: number) =>
  app.certificateQueries.list({ q, sort, order, limit, offset });

/** Every page of `size` (the first, the middle ones read from the front, the later ones from the end). */
function assertPages(q: string, sort: string, order: 'asc' | 'desc', size: number, why: string): void {
  const want = expected(q, sort, order);
  assert.ok(want.length > size, `${q}: matches for more than one page`);
  const got: number[] = [];
  for (let offset = 0; offset < want.length + size; offset += size) {
    const p = page(q, sort, order, size, offset);
    assert.equal(p.total, want.length, `${why}: total of ${q} ${sort} ${order} at ${offset}`);
    got.push(...p.items.map((i) => i.id));
  }
  assert.deepEqual(got, want, `${why}: ${q} by ${sort} ${order}, pages of ${size}`);
}

function scope(q: string): SearchScope {
  const key = queryKey(q);
  return { key, ...prefixRange(key), qlen: key.length, extra: [] };
}

describe('search order', () => {
  test('a one-term search by expiry is paged from its index, in order, without a sort', () => {
    const order = new SearchOrder(app.db, (sql) => app.db.prepare(sql).pluck());
    const byExpiry = ['c.not_after'];
    assert.deepEqual(order.fewTerms(scope('example.com'), byExpiry), [queryKey('example.com')]);
    assert.deepEqual(
      order.fewTerms(scope('example'), byExpiry),
      ['example.com', 'example.net', 'example.org'].map(queryKey),
      'a few terms',
    );
    assert.equal(order.fewTerms(scope('www'), byExpiry), undefined, 'a term per host: sorted instead');
    assert.equal(order.fewTerms(scope('example.com'), ['c.common_name COLLATE NOCASE']), undefined);
    assert.equal(order.fewTerms({ ...scope('example.com'), extra: [1] }, byExpiry), undefined);
    assert.equal(order.fewTerms(scope('no-such-host.invalid'), byExpiry), undefined);
    for (const k of [1, 3])
      for (const dir of ['ASC', 'DESC'] as const) {
        const terms = Object.fromEntries(Array.from({ length: k }, (_, i) => [`t${i}`, `x${i}`]));
        const plan = app.db
          .prepare(`EXPLAIN QUERY PLAN ${termPageSql(k, dir)}`)
          .all({ ...terms, limit: 5, offset: 5 }) as { detail: string }[];
        assert.ok(plan.some((r) => r.detail.includes('COVERING INDEX certificate_search_by_expiry')));
        assert.ok(!plan.some((r) => r.detail.includes('TEMP B-TREE')), `no sort: ${k} ${dir}`);
      }
  });

  test('every page and total equals one plain sorted query: one term, a few, many, every sort', () => {
    // "tie" finds 6 of ~250 (sorted from the rows), "example" most (sorted by scanning the sort's index).
    for (const q of ['example.com', 'example', 'tie'])
      for (const sort of Object.keys(SORTS))
        for (const order of ['asc', 'desc'] as const)
          for (const size of [1, 4]) assertPages(q, sort, order, size, 'before writes');
  });

  test('pages after writes show them: the kept sort is not reused, the index is current', async () => {
    const middle = () => page('example', 'notAfter', 'asc', 5, 40).items.map((i) => i.id);
    const before = middle();
    assert.deepEqual(before, expected('example', 'notAfter', 'asc').slice(40, 45));
    // A new certificate expiring right among that page's: it must appear there at once.
    const third = app.certificates.get(before[2]!)!;
    const added = insertLeaf('zz-new.example.com', new Date(Date.parse(third.not_after)));
    for (const q of ['example.com', 'example'])
      for (const sort of ['notAfter', 'commonName'])
        for (const order of ['asc', 'desc'] as const) assertPages(q, sort, order, 7, 'after an insert');
    assert.ok(middle().includes(added), 'in the middle page it sorts into');
    app.certificateLifecycle.delete(added);
    app.certificateLifecycle.delete(before[0]!);
    for (const q of ['example.com', 'example'])
      for (const order of ['asc', 'desc'] as const) assertPages(q, 'notAfter', order, 7, 'after deletes');
    assert.ok(!middle().includes(before[0]!), 'a deleted certificate is gone');
    // Superseding changes neither the matches nor their order without a status filter; the status shown does.
    const target = page('example.com', 'notAfter', 'asc', 1, 30).items[0]!;
    app.certificates.setSupersededBy(target.id, seeded.ids[1]!);
    assert.equal(page('example.com', 'notAfter', 'asc', 1, 30).items[0]!.status, 'superseded');
    assertPages('example.com', 'notAfter', 'desc', 7, 'after superseding');
    // A label given to several certificates is one term: its pages come from the index, current at once.
    const labelled = expected('example.com', 'notAfter', 'asc').filter((_, i) => i % 9 === 0);
    app.db.transaction(() => {
      for (const id of labelled) app.certificates.rename(id, 'Shared label');
    })();
    assert.equal(page('shared label', 'notAfter', 'asc', 50, 0).total, labelled.length);
    assertPages('shared label', 'notAfter', 'desc', 3, 'after a rename');
    app.certificates.rename(labelled[0]!, null);
    assert.ok(!page('shared label', 'notAfter', 'asc', 50, 0).items.some((i) => i.id === labelled[0]));
    assertPages('shared label', 'notAfter', 'asc', 3, 'after a label removed');
  });

  test('a kept sort takes each write in where it belongs, also from another connection', () => {
    const s = scope('example');
    const total = () => app.db.prepare('SELECT count(*) FROM certificates').pluck().get() as number;
    const kept = Object.keys(SORTS).flatMap((sort) =>
      (['asc', 'desc'] as const).map((order) => ({
        sort,
        order,
        search: new SearchOrder(app.db, (sql) => app.db.prepare(sql).pluck()),
        ids: [] as number[],
      })),
    );
    const check = (why: string, taken: 'patched' | 'sorted again') => {
      for (const k of kept) {
        const want = expected('example', k.sort, k.order);
        const dir = k.order === 'asc' ? 'ASC' : 'DESC';
        const got = k.search.sortedSearch(s, SORTS[k.sort]!, dir, want.length, total());
        assert.deepEqual(got, want, `${why}: by ${k.sort} ${k.order}`);
        if (taken === 'patched')
          assert.equal(got, k.ids, `${why}: by ${k.sort} ${k.order}, kept and patched`);
        else assert.notEqual(got, k.ids, `${why}: by ${k.sort} ${k.order}, sorted again`);
        k.ids = got;
      }
    };
    check('first sort', 'sorted again');
    const some = expected('example', 'createdAt', 'asc');
    const first = insertLeaf('AAA-new.Example.com', new Date(Date.now() + 3 * DAY));
    const outside = insertLeaf('outside.invalid', new Date(Date.now() + 4 * DAY));
    check('after inserts', 'patched');
    app.certificates.rename(outside, 'Example widget');
    app.certificates.rename(some[3]!, 'renamed but still matching');
    check('after renames (one now matches)', 'patched');
    app.certificates.rename(outside, null);
    check('after a rename (no longer matches)', 'patched');
    app.certificates.setSupersededBy(some[5]!, first);
    check('after superseding', 'patched');
    app.certificateLifecycle.delete(some[6]!);
    app.certificateLifecycle.delete(first);
    check('after deletes', 'patched');
    // Many at once (an import, a batch of edits): taken out in one pass, then each put back.
    app.db.transaction(() => {
      for (const id of some.slice(10, 40)) app.certificates.rename(id, id % 2 ? 'Batch edit' : null);
      insertLeaf('batch.example.com', new Date(Date.now() + 9 * DAY));
    })();
    check('after a batch of changes', 'patched');
    // The CLI writes from another process: its changes come through the database's log.
    const other = new Database(path.join(app.config.dataDir, 'certdesk.db'));
    try {
      const update = other.prepare(
        `UPDATE certificates SET common_name = ?, issuer = ?, serial_number = ?, thumbprint_sha1 = ?,
           not_before = ?, key_size = NULL WHERE id = ?`,
      );
      other.transaction(() => {
        update.run(
          'Ä-ümlaut \u{1d518} example',
          'CN=zz \uffee',
          'ZZ00',
          'zz\u{1f600}',
          '1999-01-01T00:00:00.000Z',
          some[7],
        );
        update.run(
          'ä-Ümlaut \uffee example',
          'cn=ZZ \u{1d518}',
          'ZZ01',
          'zz\uffee',
          '1999-01-01T00:00:00.000Z',
          some[8],
        );
        update.run(null, 'cn=zz', 'ZZ02', 'ZZ', '2100-01-01T00:00:00.000Z', some[9]);
      })();
      check('after updates of another connection', 'patched');
      // More changes than the log keeps: sorted again, still right.
      const touch = other.prepare('UPDATE certificates SET name = name WHERE id = ?');
      other.transaction(() => {
        for (let i = 0; i < 1100; i++) touch.run(some[i % some.length]);
      })();
      check('after more changes than the log keeps', 'sorted again');
    } finally {
      other.close();
    }
    check('unchanged', 'patched');
  });
});
