import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AcmeHarness, createAccount, order, startAcmeHarness } from '../support/acme-harness.js';

describe('ACME orders across a restart (real pebble)', () => {
  let h: AcmeHarness;
  let accountId: number;
  before(async () => {
    h = await startAcmeHarness();
    accountId = (await createAccount(h)).body.id as number;
  });
  after(async () => {
    await h?.close();
  });

  test('an order waiting for DNS keeps its CA order across a restart and completes after "check"', async () => {
    const res = await order(h, {
      accountId,
      commonName: 'restart.certdesk-acme.example.com',
      challenge: 'dns-01',
      dnsHook: 'manual',
    });
    const id = res.body.id as number;
    const waiting = await h.app.acmeOrderService.wait(id);
    assert.equal(waiting.stage, 'awaiting-dns');
    await h.restart();
    assert.equal(h.app.acmeOrderService.resume(), 0, 'a manual order keeps waiting for the admin');
    const kept = h.app.acmeOrders.get(id);
    assert.equal(kept?.order_url, waiting.order_url);
    const record = JSON.parse(kept?.dns_records ?? '[]')[0];
    h.pebble.dns.txt.set(record.name, [record.value]);
    await h.app.inject({ method: 'POST', url: `/api/acme/orders/${id}/check`, headers: h.session.headers });
    const done = await h.app.acmeOrderService.wait(id);
    assert.equal(done.status, 'valid', done.error ?? '');
    assert.equal(done.order_url, waiting.order_url, 'the same CA order was finished');
  });

  test('an order interrupted before reaching the CA is resumed at start', async () => {
    // What a crash right after POST /api/acme/orders leaves: the row, stage "key", nothing at the CA.
    const id = h.app.acmeOrders.insert({
      accountId,
      names: ['resume.certdesk-acme.example.com'],
      keySpec: { keyType: 'ec', curve: 'P-256' },
      challenge: 'http-01',
      dnsHook: null,
      renewsCertificateId: null,
      replaces: null,
      at: new Date().toISOString(),
    });
    await h.restart();
    assert.equal(h.app.acmeOrderService.resume(), 1);
    const done = await h.app.acmeOrderService.wait(id);
    assert.equal(done.status, 'valid', done.error ?? '');
  });

  test('an order whose CA order is gone restarts cleanly with a new one', async () => {
    const id = h.app.acmeOrders.insert({
      accountId,
      names: ['fresh.certdesk-acme.example.com'],
      keySpec: { keyType: 'rsa', keySize: 2048 },
      challenge: 'http-01',
      dnsHook: null,
      renewsCertificateId: null,
      replaces: null,
      at: new Date().toISOString(),
    });
    const gone = `${new URL(h.pebble.directoryUrl).origin}/my-order/does-not-exist`;
    h.app.acmeOrders.update(id, { stage: 'authorizations', order_url: gone }, new Date().toISOString());
    await h.restart();
    h.app.acmeOrderService.resume();
    const done = await h.app.acmeOrderService.wait(id);
    assert.equal(done.status, 'valid', done.error ?? '');
    assert.notEqual(done.order_url, gone);
  });
});
