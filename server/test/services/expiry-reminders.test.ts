import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { RemindersDue } from '@certdesk/shared';
import { buildApp } from '../../src/build-app.js';
import { DAY_MS } from '../../src/cert/reminder-thresholds.js';
import type { DomainEvents } from '../../src/services/events.js';
import { createTestApp, login, multipart, type TestApp } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';
import { makeLeaf, makePki, type TestChain } from '../support/pki.js';
import { insertCertificate, seedCertificate } from '../support/seed.js';

type Seen = { event: string; certificateId: number; threshold?: string; daysLeft?: number };

function record(app: TestApp, into: Seen[]): void {
  app.events.on('certificate-expiring', (p: DomainEvents['certificate-expiring']) => {
    into.push({
      event: 'expiring',
      certificateId: p.certificateId,
      threshold: p.threshold,
      daysLeft: p.daysLeft,
    });
  });
  app.events.on('certificate-expired', (p) => {
    into.push({ event: 'expired', certificateId: p.certificateId });
  });
}

/** Advances the clock a day at a time (the pass runs every minute on the way). */
function days(clock: FakeClock, n: number): void {
  for (let i = 0; i < n; i++) clock.advance(DAY_MS);
}

let pki: TestChain;
before(async () => {
  pki = await makePki();
});

test('47 days later: a 47-day certificate is reminded at 14.1, 4.7 and 1.4 days left and at expiry, each once, across a restart', async () => {
  const clock = new FakeClock();
  const env = await createTestApp({}, { clock });
  let app = env.app;
  const seen: Seen[] = [];
  record(app, seen);
  const leaf = await makeLeaf(pki.intermediate, {
    cn: 'short.example.test',
    notBeforeDays: 0,
    notAfterDays: 47,
  });
  const { id } = insertCertificate(app, { leaf, pki });
  // A renewed (superseded) twin is never reminded of.
  const old = insertCertificate(app, {
    leaf: await makeLeaf(pki.intermediate, { cn: 'old.example.test', notBeforeDays: -40, notAfterDays: 7 }),
    pki,
  });
  app.certificates.setSupersededBy(old.id, id);

  days(clock, 32);
  assert.equal(seen.length, 0, 'nothing before 30% of the lifetime is left');
  days(clock, 1); // day 33: 14 days left < 14.1
  assert.deepEqual(seen, [{ event: 'expiring', certificateId: id, threshold: '30%+30d', daysLeft: 14 }]);

  // Restart: the same data directory, a new app; the sent threshold is not sent again.
  await app.close();
  app = await buildApp(env.config, {}, { clock });
  record(app, seen);
  days(clock, 5); // day 38
  assert.equal(seen.length, 1);
  days(clock, 5); // day 43: 4 days left < 4.7
  assert.deepEqual(seen.at(-1), { event: 'expiring', certificateId: id, threshold: '10%+14d', daysLeft: 4 });
  days(clock, 3); // day 46: 1 day left < 1.41
  assert.deepEqual(seen.at(-1), { event: 'expiring', certificateId: id, threshold: '3%+7d', daysLeft: 1 });
  days(clock, 2); // day 48: expired
  days(clock, 10);
  assert.deepEqual(
    seen.map((s) => s.threshold ?? s.event),
    ['30%+30d', '10%+14d', '3%+7d', 'expired'],
  );
  assert.ok(seen.every((s) => s.certificateId === id));
  await app.close();
  fs.rmSync(env.dataDir, { recursive: true, force: true });
});

test('a certificate imported already inside a threshold is notified at once (tightest threshold only), then never again', async () => {
  const clock = new FakeClock();
  const { app, close } = await createTestApp({}, { clock });
  after(close);
  const session = await login(app);
  const seen: Seen[] = [];
  record(app, seen);
  const anchor = multipart([{ name: 'file', filename: 'root.pem', data: pki.root.certPem }]);
  const added = await app.inject({
    method: 'POST',
    url: '/api/trust-anchors',
    payload: anchor.payload,
    headers: { ...session.headers, ...anchor.headers },
  });
  assert.equal(added.statusCode, 201, added.body);
  // 47-day lifetime, 4 days left: inside 30% (14.1 d) and 10% (4.7 d), not yet 3% (1.4 d).
  const leaf = await makeLeaf(pki.intermediate, {
    cn: 'late.example.test',
    notBeforeDays: -43,
    notAfterDays: 4,
  });
  const body = multipart([
    { name: 'file', filename: 'cert.pem', data: leaf.certPem },
    { name: 'file', filename: 'key.pem', data: leaf.keyPem },
    { name: 'file', filename: 'ca.pem', data: pki.intermediate.certPem },
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/certificates',
    payload: body.payload,
    headers: { ...session.headers, ...body.headers },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as number;
  assert.equal(seen.length, 1);
  assert.deepEqual(
    { ...seen[0], daysLeft: undefined },
    {
      event: 'expiring',
      certificateId: id,
      threshold: '10%+14d',
      daysLeft: undefined,
    },
  );
  assert.ok(seen[0]?.daysLeft === 3 || seen[0]?.daysLeft === 4, String(seen[0]?.daysLeft));
  clock.advance(60_000);
  days(clock, 1);
  assert.equal(seen.length, 1, 'the looser 30% threshold is covered, not sent late');

  const due = await app.inject({ method: 'GET', url: '/api/dashboard/reminders', headers: session.headers });
  assert.equal(due.statusCode, 200, due.body);
  const items = (due.json() as RemindersDue).items;
  assert.equal(items.length, 1);
  assert.equal(items[0]?.certificate.id, id);
  assert.equal(items[0]?.threshold, '10%+14d');
  assert.equal(items[0]?.notified, true);
  assert.match(items[0]?.thresholdLabel ?? '', /10% of the lifetime or 14 days/);
});

test('reminder settings: defaults, a new list replaces them (audited), bad ones are 422 with a sentence', async () => {
  const clock = new FakeClock();
  const { app, close } = await createTestApp({}, { clock });
  after(close);
  const session = await login(app);
  const get = await app.inject({ method: 'GET', url: '/api/settings/reminders', headers: session.headers });
  assert.deepEqual(get.json(), {
    thresholds: [
      { percent: 30, days: 30 },
      { percent: 10, days: 14 },
      { percent: 3, days: 7 },
    ],
  });
  const put = (thresholds: unknown) =>
    app.inject({
      method: 'PUT',
      url: '/api/settings/reminders',
      headers: session.headers,
      payload: { thresholds },
    });
  const ok = await put([{ days: 21 }, { percent: 5 }]);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json().thresholds, [{ days: 21 }, { percent: 5 }]);
  const bad = await put([{}]);
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().code, 'INVALID_REMINDER_THRESHOLD');
  const dup = await put([{ days: 7 }, { days: 7 }]);
  assert.equal(dup.statusCode, 422);
  assert.match(dup.json().message, /twice/);
  const audit = app.db
    .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.reminders'")
    .get() as {
    n: number;
  };
  assert.equal(audit.n, 1);

  // With a bare-percentage threshold, the pass looks at every live certificate however far its expiry.
  const seen: Seen[] = [];
  record(app, seen);
  const { id } = await seedCertificate(app, pki, {
    cn: 'long.example.test',
    notBeforeDays: -3400,
    notAfterDays: 150,
  });
  clock.advance(60_000);
  assert.deepEqual(seen, [{ event: 'expiring', certificateId: id, threshold: '5%', daysLeft: 149 }]);
});
