import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SCHEDULER_LIMITS } from '../../src/services/renewal-scheduler.js';
import { type AcmeHarness, createAccount, order, startAcmeHarness } from '../support/acme-harness.js';
import { FakeClock } from '../support/fake-clock.js';
import { setActive } from '../support/seed.js';

const DAY = 86_400_000;

describe('renewal scheduler with a fake clock against a real pebble (47-day certificates, no ARI in pebble 2.4)', () => {
  let h: AcmeHarness;
  const clock = new FakeClock();
  let accountId: number;
  let firstId: number;
  const replaced: unknown[] = [];
  const failed: unknown[] = [];

  before(async () => {
    h = await startAcmeHarness({ validitySeconds: 47 * 86400 }, { clock });
    h.app.events.on('certificate-replaced', (e) => {
      replaced.push(e);
    });
    h.app.events.on('renewal-failed', (e) => {
      failed.push(e);
    });
    accountId = (await createAccount(h)).body.id as number;
    const res = await order(h, {
      accountId,
      commonName: 'renew.certdesk-acme.example.com',
      challenge: 'http-01',
    });
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(done.status, 'valid', done.error ?? '');
    firstId = done.certificate_id as number;
    setActive(h.app, firstId);
  });
  after(async () => {
    h?.app.renewalScheduler.stop();
    await h?.close();
  });

  test('nothing renews while more than 33% of the lifetime is left', async () => {
    h.app.renewalScheduler.start();
    clock.advance(0);
    await h.app.renewalScheduler.settled();
    clock.jump(30 * DAY);
    clock.advance(SCHEDULER_LIMITS.tickMs);
    await h.app.renewalScheduler.settled();
    assert.equal(h.app.acmeOrders.runningFor(firstId), undefined);
    assert.equal(h.app.certificates.get(firstId)?.superseded_by_id, null);
    assert.equal(replaced.length, 0);
  });

  test('47 days later (day 32 of 47): renewed, promoted in place, announced as a renewal', async () => {
    clock.jump(2 * DAY);
    clock.advance(SCHEDULER_LIMITS.tickMs);
    await h.app.renewalScheduler.settled();
    const old = h.app.certificates.get(firstId);
    assert.ok(old?.superseded_by_id, 'the old version is superseded');
    const fresh = h.app.certificates.get(old.superseded_by_id as number);
    assert.equal(fresh?.previous_version_id, firstId);
    assert.equal(
      h.app.settings.serverSettings().activeCertificateId,
      fresh?.id,
      'the active certificate moved',
    );
    assert.deepEqual(replaced, [{ from: firstId, to: fresh?.id, reason: 'renew' }]);
    assert.ok(h.app.acmeCertificates.get(fresh?.id as number), 'the new version is ACME-managed too');
    assert.equal(failed.length, 0);
  });

  test('renew-now: never two orders for the same certificate', async () => {
    const current = h.app.certificates.get(firstId)?.superseded_by_id as number;
    const a = await h.app.inject({
      method: 'POST',
      url: `/api/certificates/${current}/renew-now`,
      headers: h.session.headers,
    });
    const b = await h.app.inject({
      method: 'POST',
      url: `/api/certificates/${current}/renew-now`,
      headers: h.session.headers,
    });
    assert.equal(a.statusCode, 202, a.body);
    assert.equal(b.statusCode, 409);
    assert.equal(b.json().code, 'ACME_ORDER_IN_PROGRESS');
    // The scheduler passing meanwhile leaves it alone too.
    await h.app.renewalScheduler.runOnce();
    const done = await h.app.acmeOrderService.wait(a.json().id);
    assert.equal(done.status, 'valid', done.error ?? '');
    const notAcme = await h.app.inject({
      method: 'POST',
      url: '/api/certificates/999/renew-now',
      headers: h.session.headers,
    });
    assert.equal(notAcme.json().code, 'NOT_ACME_MANAGED');
    // The replaced version is history: renewing it would order a sibling of the newest one.
    const old = await h.app.inject({
      method: 'POST',
      url: `/api/certificates/${firstId}/renew-now`,
      headers: h.session.headers,
    });
    assert.equal(old.statusCode, 409, old.body);
    assert.equal(old.json().code, 'RENEW_SUPERSEDED');
    assert.equal(old.json().supersededById, current);
  });

  test('a failing renewal backs off exponentially and emits renewal-failed per failure', async () => {
    const current = h.app.acmeOrders.list(1)[0]?.certificate_id as number;
    // The CA goes away: every attempt fails.
    await h.pebble.stop();
    clock.jump(40 * DAY);
    await h.app.renewalScheduler.runOnce();
    const first = h.app.acmeCertificates.get(current);
    assert.equal(first?.attempts, 1);
    assert.equal(failed.length, 1);
    const next1 = Date.parse(first?.next_check_at ?? '') - clock.now();
    await h.app.renewalScheduler.runOnce();
    assert.equal(failed.length, 1, 'not retried before the back-off ends');
    clock.jump(next1);
    await h.app.renewalScheduler.runOnce();
    const second = h.app.acmeCertificates.get(current);
    assert.equal(second?.attempts, 2);
    assert.equal(Date.parse(second?.next_check_at ?? '') - clock.now(), next1 * 2);
    assert.deepEqual(
      failed.map((f) => (f as { attempt: number }).attempt),
      [1, 2],
    );
  });

  test('renewal settings: GET and PUT, autoRenew off stops passes', async () => {
    const get = await h.app.inject({
      method: 'GET',
      url: '/api/settings/renewal',
      headers: h.session.headers,
    });
    assert.deepEqual(get.json(), { autoRenew: true, renewBeforePercent: 33, useAri: true });
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/settings/renewal',
      headers: h.session.headers,
      payload: { autoRenew: false, renewBeforePercent: 50 },
    });
    assert.deepEqual(put.json(), { autoRenew: false, renewBeforePercent: 50, useAri: true });
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/api/settings/renewal',
      headers: h.session.headers,
      payload: { renewBeforePercent: 0 },
    });
    assert.equal(bad.statusCode, 400);
    clock.jump(DAY);
    assert.deepEqual(await h.app.renewalScheduler.runOnce(), { checked: 0, renewed: 0, failed: 0 });
  });
});
