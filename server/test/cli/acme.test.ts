import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setCliIo } from '../../src/cli/common.js';
import { main } from '../../src/cli.js';
import {
  type AcmeHarness,
  createAccount,
  deactivateValidAuthorizations,
  order,
  startAcmeHarness,
} from '../support/acme-harness.js';

/**
 * `certdesk acme renew-due` on the data directory of a console, running (its HTTP listener answers the
 * real HTTP-01 challenges pebble makes) and stopped: one scheduler pass, what it renewed or failed
 * printed, exit 2 on any failure. Certificates live 20 s and renew when 90% is left, so they are due 2 s after issue.
 */
describe('certdesk acme renew-due against a real pebble', () => {
  let h: AcmeHarness;
  let firstId: number;
  let accountId: number;
  const savedEnv = { ...process.env };

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const restore = setCliIo({ stdout: (c) => void out.push(String(c)), stderr: (c) => void err.push(c) });
    try {
      return { code: await main(args), stdout: out.join(''), stderr: err.join('') };
    } finally {
      restore();
    }
  }

  before(async () => {
    h = await startAcmeHarness({ validitySeconds: 20 });
    Object.assign(process.env, {
      CERTDESK_DATA_DIR: h.config.dataDir,
      CERTDESK_HTTP_PORT: '0',
      CERTDESK_HTTPS_PORT: '0',
    });
    accountId = (await createAccount(h)).body.id as number;
    const res = await order(h, {
      accountId,
      commonName: 'cli.certdesk-acme.example.com',
      challenge: 'http-01',
    });
    const done = await h.app.acmeOrderService.wait(res.body.id as number);
    assert.equal(done.status, 'valid', done.error ?? '');
    firstId = done.certificate_id as number;
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/settings/renewal',
      headers: h.session.headers,
      payload: { renewBeforePercent: 90, useAri: false },
    });
    assert.equal(put.statusCode, 200, put.body);
    await new Promise((r) => setTimeout(r, 2500));
  });

  after(async () => {
    process.env = savedEnv;
    await h?.close();
  });

  test('a due certificate is renewed and printed; exit 0', async () => {
    const r = await cli(['acme', 'renew-due']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`renewed \\(certificate #${firstId} → #\\d+\\)`));
    const old = h.app.certificates.get(firstId);
    assert.ok(old?.superseded_by_id, 'promoted in place: the old version is superseded');
    assert.ok(h.app.acmeCertificates.get(old.superseded_by_id as number), 'the new version is ACME-managed');
  });

  test('server stopped: it runs on the database alone; nothing answers HTTP-01, so the renewal fails: exit 2, --json lists it', async () => {
    await new Promise((r) => setTimeout(r, 2500));
    // Otherwise pebble may reuse an earlier authorization (one order in a hundred) and need no listener.
    const deactivated = await deactivateValidAuthorizations(h, accountId);
    assert.ok(deactivated >= 2, `the first order's and the renewal's authorizations: ${deactivated}`);
    await h.app.close();
    try {
      const r = await cli(['acme', 'renew-due', '--json']);
      assert.equal(r.code, 2, r.stderr + r.stdout);
      const body = JSON.parse(r.stdout) as {
        checked: number;
        renewed: unknown[];
        failed: { attempt: number; message: string }[];
      };
      assert.equal(body.renewed.length, 0);
      assert.equal(body.failed.length, 1);
      assert.equal(body.failed[0]?.attempt, 1);
      assert.ok(body.failed[0]?.message);
    } finally {
      await h.restart();
    }
  });

  test('nothing due (backing off) → exit 0; a wrong action is a usage error (exit 2)', async () => {
    const r = await cli(['acme', 'renew-due']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing was due/);
    const bad = await cli(['acme', 'renew-everything']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /USAGE_ERROR/);
  });
});
