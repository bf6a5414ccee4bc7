import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AcmeHarness, createAccount, order, startAcmeHarness } from '../../support/acme-harness.js';

describe('ACME ordering against a real pebble (real HTTP-01 validation, no always-valid shortcut)', () => {
  let h: AcmeHarness;
  before(async () => {
    h = await startAcmeHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('an account is registered; its keys are never returned', async () => {
    const res = await createAccount(h);
    assert.equal(res.statusCode, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'valid');
    assert.equal(res.body.directoryUrl, h.pebble.directoryUrl);
    assert.ok(!JSON.stringify(res.body).includes('PRIVATE'));
  });

  test('an http-01 order is validated by pebble over the console listener and imported as source acme', async () => {
    const list = (await h.app.inject({ method: 'GET', url: '/api/acme/accounts', headers: h.session.headers })).json();
    const accountId = list.items[0].id as number;
    const res = await order(h, {
      accountId,
      commonName: 'www.certdesk-acme.example.com',
      subjectAltNames: ['api.certdesk-acme.example.com'],
      keyType: 'ec',
      curve: 'P-256',
      challenge: 'http-01',
    });
    assert.equal(res.statusCode, 202, JSON.stringify(res.body));
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    const view = (
      await h.app.inject({ method: 'GET', url: `/api/acme/orders/${res.body.id}`, headers: h.session.headers })
    ).json();
    assert.equal(view.status, 'valid', view.error);
    assert.equal(view.stage, 'done');
    assert.equal(done.certificate_id, view.certificateId);
    const cert = (
      await h.app.inject({ method: 'GET', url: `/api/certificates/${view.certificateId}`, headers: h.session.headers })
    ).json();
    assert.deepEqual([...cert.subjectAltNames].sort(), ['api.certdesk-acme.example.com', 'www.certdesk-acme.example.com']);
    assert.ok(h.app.acmeCertificates.get(view.certificateId), 'marked ACME-managed');
  });
});
