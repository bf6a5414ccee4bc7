import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AcmeHarness, createAccount, startAcmeHarness } from '../../support/acme-harness.js';

const HMAC = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';

describe('ACME external account binding against pebble in EAB mode', () => {
  let h: AcmeHarness;
  before(async () => {
    h = await startAcmeHarness({ eab: { 'kid-1': HMAC } });
  });
  after(async () => {
    await h?.close();
  });

  test('without EAB the CA refuses, with its problem detail as the sentence', async () => {
    const res = await createAccount(h);
    assert.equal(res.statusCode, 422);
    assert.equal(res.body.code, 'ACME_ACCOUNT_FAILED');
    assert.match(String(res.body.message), /externalAccountBinding/);
  });

  test('a wrong HMAC key is refused; the right one registers and is never returned or stored in clear', async () => {
    const wrong = await createAccount(h, {
      eab: { kid: 'kid-1', hmacKey: Buffer.alloc(32, 7).toString('base64url') },
    });
    assert.equal(wrong.statusCode, 422);
    const ok = await createAccount(h, { eab: { kid: 'kid-1', hmacKey: HMAC } });
    assert.equal(ok.statusCode, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.eabKid, 'kid-1');
    const listed = await h.app.inject({
      method: 'GET',
      url: '/api/acme/accounts',
      headers: h.session.headers,
    });
    assert.ok(!listed.body.includes(HMAC));
    const stored = h.app.db.prepare('SELECT * FROM acme_accounts').all();
    assert.ok(!JSON.stringify(stored).includes(HMAC), 'sealed at rest');
  });
});
