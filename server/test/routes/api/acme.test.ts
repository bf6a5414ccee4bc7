import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type AcmeHarness, createAccount, order, startAcmeHarness } from '../../support/acme-harness.js';
import { freePort } from '../../support/ports.js';

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
    const list = (
      await h.app.inject({ method: 'GET', url: '/api/acme/accounts', headers: h.session.headers })
    ).json();
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
      await h.app.inject({
        method: 'GET',
        url: `/api/acme/orders/${res.body.id}`,
        headers: h.session.headers,
      })
    ).json();
    assert.equal(view.status, 'valid', view.error);
    assert.equal(view.stage, 'done');
    assert.equal(done.certificate_id, view.certificateId);
    const cert = (
      await h.app.inject({
        method: 'GET',
        url: `/api/certificates/${view.certificateId}`,
        headers: h.session.headers,
      })
    ).json();
    assert.deepEqual([...cert.subjectAltNames].sort(), [
      'api.certdesk-acme.example.com',
      'www.certdesk-acme.example.com',
    ]);
    assert.ok(h.app.acmeCertificates.get(view.certificateId), 'marked ACME-managed');
    assert.equal(cert.source, 'acme');
    assert.equal(cert.acme.accountId, accountId);
  });
});

describe('ACME dns-01 against a real pebble (its validator asks the test DNS responder)', () => {
  let h: AcmeHarness;
  let accountId: number;
  const txtDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-txt-'));
  const hooksFile = path.join(txtDir, 'hooks.json');
  fs.writeFileSync(
    hooksFile,
    JSON.stringify({
      // A hook gets the record name and value as two extra arguments ($0 and $1 of this sh -c script).
      'test-dns': { command: ['/bin/sh', '-c', `printf '%s\\n' "$1" >> "${txtDir}/$0"`], timeoutSeconds: 10 },
    }),
  );
  before(async () => {
    h = await startAcmeHarness({}, {}, { CERTDESK_DEPLOY_HOOKS: hooksFile });
    h.pebble.dns.txtDir = txtDir;
    accountId = (await createAccount(h)).body.id as number;
  });
  after(async () => {
    await h?.close();
    fs.rmSync(txtDir, { recursive: true, force: true });
  });

  test('manual: the order shows the TXT record, waits, and "check" continues it', async () => {
    const res = await order(h, {
      accountId,
      commonName: 'manual.certdesk-acme.example.com',
      challenge: 'dns-01',
      dnsHook: 'manual',
    });
    assert.equal(res.statusCode, 202, JSON.stringify(res.body));
    const waiting = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(waiting.status, 'pending');
    assert.equal(waiting.stage, 'awaiting-dns');
    const view = (
      await h.app.inject({
        method: 'GET',
        url: `/api/acme/orders/${res.body.id}`,
        headers: h.session.headers,
      })
    ).json();
    assert.equal(view.dnsRecords.length, 1);
    assert.equal(view.dnsRecords[0].name, '_acme-challenge.manual.certdesk-acme.example.com');
    h.pebble.dns.txt.set(view.dnsRecords[0].name, [view.dnsRecords[0].value]);
    const check = await h.app.inject({
      method: 'POST',
      url: `/api/acme/orders/${res.body.id}/check`,
      headers: h.session.headers,
    });
    assert.equal(check.statusCode, 202, check.body);
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(done.status, 'valid', done.error ?? '');
  });

  test('manual without the record: the order turns invalid with the CA problem detail', async () => {
    const res = await order(h, {
      accountId,
      commonName: 'missing.certdesk-acme.example.com',
      challenge: 'dns-01',
      dnsHook: 'manual',
    });
    await h.app.acmeOrderService.wait(res.body.id as number);
    await h.app.inject({
      method: 'POST',
      url: `/api/acme/orders/${res.body.id}/check`,
      headers: h.session.headers,
    });
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(done.status, 'invalid');
    assert.match(done.error ?? '', /missing\.certdesk-acme\.example\.com: .*TXT/i);
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/acme/orders/${res.body.id}/check`,
      headers: h.session.headers,
    });
    assert.equal(again.json().code, 'ACME_ORDER_NOT_WAITING');
  });

  test('a declared hook receives name and value and the order completes by itself', async () => {
    const res = await order(h, {
      accountId,
      commonName: 'hook.certdesk-acme.example.com',
      challenge: 'dns-01',
      dnsHook: 'test-dns',
    });
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(done.status, 'valid', done.error ?? '');
    assert.ok(fs.existsSync(path.join(txtDir, '_acme-challenge.hook.certdesk-acme.example.com')));
    const hooks = (
      await h.app.inject({ method: 'GET', url: '/api/acme/hooks', headers: h.session.headers })
    ).json();
    assert.deepEqual(hooks.items, [{ name: 'test-dns' }]);
  });

  test('refusals: unknown hook, unknown account, unreachable directory, unknown challenge token', async () => {
    const hook = await order(h, {
      accountId,
      commonName: 'x.certdesk-acme.example.com',
      challenge: 'dns-01',
      dnsHook: 'nope',
    });
    assert.equal(hook.statusCode, 422);
    assert.equal(hook.body.code, 'ACME_HOOK_UNKNOWN');
    const account = await order(h, {
      accountId: 999,
      commonName: 'x.certdesk-acme.example.com',
      challenge: 'http-01',
    });
    assert.equal(account.statusCode, 404);
    const port = await freePort();
    const dir = await createAccount(h, { directoryUrl: `https://127.0.0.1:${port}/dir` });
    assert.equal(dir.statusCode, 422);
    assert.equal(dir.body.code, 'ACME_DIRECTORY_UNREACHABLE');
    // The cause, not acme-client's own TypeError about a response that never came.
    assert.match(String(dir.body.message), /nothing accepts connections .*ECONNREFUSED/);
    const token = await h.app.inject({ method: 'GET', url: '/.well-known/acme-challenge/unknown-token' });
    assert.equal(token.statusCode, 404);
  });
});
