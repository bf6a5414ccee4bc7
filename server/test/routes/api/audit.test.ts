import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuditList } from '@certdesk/shared';
import { csvCell } from '../../../src/services/audit-csv.js';
import { createTestApp, login, type Session, type TestApp } from '../../support/app.js';
import { FakeClock } from '../../support/fake-clock.js';

const DAY = 86_400_000;

/** GET /api/audit filters (actor, action, from, to) and the CSV export with the same filters. */
describe('audit log: filters and CSV export', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let s: Session;
  const clock = new FakeClock(Date.parse('2026-03-10T12:00:00Z'));

  before(async () => {
    ({ app, close } = await createTestApp({}, { clock }));
    s = await login(app); // auth.login by admin on 2026-03-10
    const record = (actor: string, action: string, target: string) =>
      app.audit.record({ user: { username: actor }, ip: '127.0.0.1' }, { action, target });
    clock.advance(DAY); // 2026-03-11
    record('alice', 'certificate.rename', '=HYPERLINK("http://x.invalid","click")');
    record('bob', 'csr.create', '+1');
    clock.advance(DAY); // 2026-03-12
    record('alice', 'certificate.delete', '@SUM(A1)');
    record('alice', 'csr.create', '-2, "quoted"');
    clock.advance(DAY); // 2026-03-13
    record('bob', 'certificate.rename', 'plain');
  });
  after(() => close());

  const get = (query: string) =>
    app.inject({ method: 'GET', url: `/api/audit${query}`, headers: { cookie: s.cookie } });
  const list = async (query: string) => {
    const res = await get(query);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as AuditList;
  };

  test('actor, action (exact or prefix) and dates filter together; total counts the matches', async () => {
    assert.deepEqual(
      (await list('?actor=alice')).items.map((i) => i.action),
      ['csr.create', 'certificate.delete', 'certificate.rename'],
    );
    const aliceCerts = await list('?actor=alice&action=certificate.');
    assert.equal(aliceCerts.total, 2);
    assert.deepEqual(
      (await list('?action=certificate.rename')).items.map((i) => i.actor),
      ['bob', 'alice'],
    );
    // A date is the whole day (UTC), both ends inclusive.
    const day12 = await list('?from=2026-03-12&to=2026-03-12');
    assert.deepEqual(
      day12.items.map((i) => i.action),
      ['csr.create', 'certificate.delete'],
    );
    assert.equal((await list('?from=2026-03-11')).total, 5);
    const day10 = await list('?to=2026-03-10');
    assert.ok(day10.items.some((i) => i.action === 'auth.login'));
    assert.ok(day10.items.every((i) => i.at.startsWith('2026-03-10')));
    assert.equal((await list('?from=2026-03-12T12:00:00Z&to=2026-03-13T12:00:00Z')).total, 3);
    assert.equal((await list('?actor=alice&from=2026-03-12&limit=1')).items.length, 1);
    assert.equal((await list('?actor=nobody')).total, 0);
  });

  test('bad dates are a 400 VALIDATION_ERROR with a sentence, never a 500', async () => {
    for (const q of [
      '?from=yesterday',
      '?to=2026-02-31',
      '?from=2026-03-12&to=2026-03-11',
      '?from=2026-3-1',
    ]) {
      const res = await get(q);
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      assert.equal(res.json().code, 'VALIDATION_ERROR', q);
      assert.ok(res.json().message.length > 0);
    }
    const csv = await app.inject({
      method: 'GET',
      url: '/api/audit.csv?to=2026-02-31',
      headers: { cookie: s.cookie },
    });
    assert.equal(csv.statusCode, 400);
  });

  test('CSV: same filters, a header line, every match newest first, formula cells neutralised', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/audit.csv?actor=alice',
      headers: { cookie: s.cookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="certdesk-audit-.*\.csv"/);
    const lines = res.body.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,at,actor,action,target,ip,details');
    assert.equal(lines.length, 4);
    assert.match(lines[1]!, /,alice,csr\.create,"'-2, ""quoted""",127\.0\.0\.1,$/);
    assert.match(lines[2]!, /,alice,certificate\.delete,'@SUM\(A1\),/);
    assert.match(lines[3]!, /,certificate\.rename,"'=HYPERLINK\(""http:\/\/x\.invalid"",""click""\)",/);

    const viaFormat = await get('?format=csv&actor=bob&action=csr.');
    assert.equal(viaFormat.statusCode, 200);
    const bob = viaFormat.body.trimEnd().split('\r\n');
    assert.equal(bob.length, 2);
    assert.match(bob[1]!, /,bob,csr\.create,'\+1,/);
  });

  test('CSV export of many entries streams them all (read in slices)', async () => {
    for (let i = 0; i < 1_234; i++) {
      app.audit.record({ user: { username: 'bulk' } }, { action: 'bulk.entry', target: i });
    }
    const res = await app.inject({
      method: 'GET',
      url: '/api/audit.csv?actor=bulk',
      headers: { cookie: s.cookie },
    });
    const lines = res.body.trimEnd().split('\r\n');
    assert.equal(lines.length, 1 + 1_234);
    assert.match(lines[1]!, /,bulk,bulk\.entry,1233,/);
    assert.match(lines.at(-1)!, /,bulk,bulk\.entry,0,/);
  });

  test('the export needs a session like every other route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/audit.csv' });
    assert.equal(res.statusCode, 401);
  });

  test('csvCell: quotes per RFC 4180, apostrophe before = + - @ tab and CR', () => {
    assert.equal(csvCell(null), '');
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell(42), '42');
  });
});
