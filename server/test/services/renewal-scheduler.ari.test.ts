import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type AcmeHarness, createAccount, order, startAcmeHarness } from '../support/acme-harness.js';
import { FakeClock } from '../support/fake-clock.js';

const DAY = 86_400_000;

/** RFC 9773 certID computed with openssl, independently of the product's DER reader. */
function expectedCertId(pem: string): string {
  const aki = execFileSync('openssl', ['x509', '-noout', '-ext', 'authorityKeyIdentifier'], { input: pem })
    .toString()
    .split('\n')[1]
    ?.trim()
    .replace(/^keyid:/, '')
    .replace(/:/g, '') as string;
  let serial = execFileSync('openssl', ['x509', '-noout', '-serial'], { input: pem })
    .toString()
    .trim()
    .split('=')[1] as string;
  if (serial.length % 2) serial = `0${serial}`;
  if (Number.parseInt(serial.slice(0, 2), 16) >= 0x80) serial = `00${serial}`;
  return `${Buffer.from(aki, 'hex').toString('base64url')}.${Buffer.from(serial, 'hex').toString('base64url')}`;
}

/**
 * Pebble 2.4 in Debian has no renewalInfo, so this test serves RFC 9773 itself: a small HTTP directory
 * that is pebble's directory plus `renewalInfo`, answering a suggested window with Retry-After.
 */
describe('ARI renewal window (RFC 9773 endpoint served by the test: pebble 2.4 lacks renewalInfo)', () => {
  let h: AcmeHarness;
  let proxy: http.Server;
  const clock = new FakeClock();
  const asked: string[] = [];
  let window = { start: '', end: '' };

  before(async () => {
    h = await startAcmeHarness({}, { clock });
    proxy = http.createServer((req, res) => {
      const port = (proxy.address() as AddressInfo).port;
      if (req.url === '/dir') {
        https.get(h.pebble.directoryUrl, { ca: h.pebble.apiCaPem }, (up) => {
          let body = '';
          up.on('data', (c) => {
            body += c;
          });
          up.on('end', () => {
            const dir = { ...JSON.parse(body), renewalInfo: `http://127.0.0.1:${port}/ari` };
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(dir));
          });
        });
        return;
      }
      if (req.url?.startsWith('/ari/')) {
        asked.push(req.url.slice(5));
        res.setHeader('content-type', 'application/json');
        res.setHeader('retry-after', '21600');
        res.end(JSON.stringify({ suggestedWindow: window }));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    h?.app.renewalScheduler.stop();
    await new Promise((r) => proxy?.close(r));
    await h?.close();
  });

  test('renews inside the suggested window, long before the lifetime share, with `replaces`', async () => {
    const port = (proxy.address() as AddressInfo).port;
    const account = await createAccount(h, { directoryUrl: `http://127.0.0.1:${port}/dir` });
    assert.equal(account.statusCode, 201, JSON.stringify(account.body));
    const res = await order(h, {
      accountId: account.body.id,
      commonName: 'ari.certdesk-acme.example.com',
      challenge: 'http-01',
    });
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(done.status, 'valid', done.error ?? '');
    const certId = done.certificate_id as number;
    const pem = h.app.certificates.pems(h.app.certificates.get(certId)!).certPem;
    const expected = expectedCertId(pem);
    window = {
      start: new Date(clock.now() + 5 * DAY).toISOString(),
      end: new Date(clock.now() + 6 * DAY).toISOString(),
    };

    await h.app.renewalScheduler.runOnce();
    assert.deepEqual(asked, [expected], 'the certID of RFC 9773 §4.1');
    const state = h.app.acmeCertificates.get(certId);
    assert.ok(state?.ari_pick && state.ari_pick >= window.start && state.ari_pick <= window.end);
    assert.equal(Date.parse(state.next_check_at) - clock.now(), 21_600_000, 'Retry-After honoured');
    assert.equal(h.app.certificates.get(certId)?.superseded_by_id, null);

    clock.jump(7 * DAY);
    await h.app.renewalScheduler.runOnce();
    const renewed = h.app.certificates.get(certId)?.superseded_by_id;
    assert.ok(renewed, 'renewed on day 7 of 47, inside the window');
    const newest = h.app.acmeOrders.list(1)[0];
    assert.equal(newest?.replaces, expected);
    assert.equal(newest?.renews_certificate_id, certId);
  });
});
