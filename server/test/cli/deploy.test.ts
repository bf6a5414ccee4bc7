import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setCliIo } from '../../src/cli/common.js';
import { main } from '../../src/cli.js';
import { createTestApp, login, type TestApp, tempDir } from '../support/app.js';
import { makeLeaf, makePki } from '../support/pki.js';
import { insertCertificate } from '../support/seed.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

/** `certdesk deploy` on the data directory a running app also uses: one line per target, exit 2 on any failure. */
describe('certdesk deploy', () => {
  let app: TestApp;
  let session: Awaited<ReturnType<typeof login>>;
  let close: () => Promise<void>;
  const root = tempDir('certdesk-cli-deploy-');
  const hooksFile = `${root}-hooks.json`;
  const savedEnv = { ...process.env };
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

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
    fs.writeFileSync(
      hooksFile,
      JSON.stringify({
        ok: { command: ['/bin/true'] },
        broken: { command: ['/bin/false'] },
        slow: { command: ['/bin/sleep', '1'] },
      }),
    );
    const env = { CERTDESK_DEPLOY_ROOTS: root, CERTDESK_DEPLOY_HOOKS: hooksFile };
    let dataDir: string;
    ({ app, close, dataDir } = await createTestApp(env));
    Object.assign(process.env, env, { CERTDESK_DATA_DIR: dataDir });
    session = await login(app);
    hooks = await startWebhookReceiver();
    const notifications = await app.inject({
      method: 'PUT',
      url: '/api/settings/notifications',
      headers: session.headers,
      payload: {
        email: null,
        webhooks: [{ url: hooks.url('/ops'), format: 'json' }],
        events: ['deploy-failed'],
      },
    });
    assert.equal(notifications.statusCode, 200, notifications.body);
    const pki = await makePki();
    const id = insertCertificate(app, { leaf: await makeLeaf(pki.intermediate, { cn: 'cli.test' }), pki }).id;
    for (const [name, hook] of [
      ['good', 'ok'],
      ['bad', 'broken'],
      ['slow', 'slow'],
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/targets',
        headers: session.headers,
        payload: {
          name,
          certificateId: id,
          kind: 'local',
          files: [{ path: path.join(root, `${name}.pem`), content: 'fullchain+key' }],
          hook,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
  });

  after(async () => {
    process.env = savedEnv;
    await hooks?.close();
    await close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(hooksFile, { force: true });
  });

  test('one target by name: deployed, exit 0, audited as cli', async () => {
    const r = await cli(['deploy', 'good']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^good: deployed \(SHA-256 [0-9A-F]{64}\)\n$/);
    assert.equal(fs.statSync(path.join(root, 'good.pem')).mode & 0o777, 0o600);
    const actors = app.db.prepare("SELECT DISTINCT actor FROM audit_log WHERE action LIKE 'deploy.%'").all();
    assert.deepEqual(actors, [{ actor: 'cli' }]);
  });

  test('--all: each outcome printed, exit 2 because one was rolled back; an unknown name is refused', async () => {
    const r = await cli(['deploy', 'good', 'bad']);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^bad: rolled-back \(at step hook: DEPLOY_FAILED: .*exited with status 1/m);
    assert.match(r.stdout, /^good: deployed/m);
    // Told before the command exits, as the server would have told it.
    assert.deepEqual(
      hooks.hooks.map((h) => (h.body as { subject: string }).subject),
      ['Deployment of cli.test to bad failed'],
    );
    const unknown = await cli(['deploy', 'nope', '--json']);
    assert.equal(unknown.code, 2);
    assert.equal(JSON.parse(unknown.stdout)[0].status, 'refused');
    assert.equal((await cli(['deploy'])).code, 2);
  });

  test('the command and the server never deploy one target at once: whichever comes second is refused', async () => {
    const slowId = (
      app.db.prepare("SELECT id FROM deploy_targets WHERE name = 'slow'").get() as { id: number }
    ).id;
    const byServer = app.inject({
      method: 'POST',
      url: `/api/targets/${slowId}/deploy`,
      headers: session.headers,
    });
    await new Promise((r) => setTimeout(r, 200));
    const r = await cli(['deploy', 'slow', '--json']);
    assert.equal(r.code, 2, r.stdout);
    const [line] = JSON.parse(r.stdout) as { status: string; message: string }[];
    assert.equal(line?.status, 'refused');
    assert.match(line?.message ?? '', /Another certdesk process/);
    assert.equal((await byServer).statusCode, 200);

    const byCli = cli(['deploy', 'slow']);
    await new Promise((r) => setTimeout(r, 200));
    const refused = await app.inject({
      method: 'POST',
      url: `/api/targets/${slowId}/deploy`,
      headers: session.headers,
    });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(refused.json().message, /Another certdesk process/);
    assert.equal((await byCli).code, 0);
  });
});
