import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createTestApp, login, tempDir } from '../support/app.js';
import { makeLeaf, makePki } from '../support/pki.js';
import { insertCertificate } from '../support/seed.js';

/** CERTDESK_DEPLOY_ROOTS / CERTDESK_DEPLOY_HOOKS / CERTDESK_DRIFT_CHECK_MINUTES: validated at start. */
describe('deployment configuration', () => {
  const dir = tempDir('certdesk-deploy-config-');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const hooks = (content: string) => {
    const file = path.join(dir, `hooks-${Math.random().toString(16).slice(2)}.json`);
    fs.writeFileSync(file, content);
    return file;
  };
  const load = (env: Record<string, string>) => loadConfig({ CERTDESK_DATA_DIR: dir, ...env });

  test('roots: absolute directories separated by ":", never "/"', () => {
    assert.deepEqual(load({ CERTDESK_DEPLOY_ROOTS: '/etc/ssl/certdesk:/srv/tls/' }).deploy.roots, [
      '/etc/ssl/certdesk',
      '/srv/tls',
    ]);
    assert.deepEqual(load({}).deploy.roots, []);
    assert.throws(() => load({ CERTDESK_DEPLOY_ROOTS: 'relative/dir' }), /not an absolute directory/);
    assert.throws(() => load({ CERTDESK_DEPLOY_ROOTS: '/' }), /would let targets write anywhere/);
  });

  test('hooks: argv with an absolute program and an optional timeout; every fault named at start', () => {
    const ok = load({
      CERTDESK_DEPLOY_HOOKS: hooks(
        '{"nginx": {"command": ["/usr/sbin/nginx", "-s", "reload"], "timeoutSeconds": 20}}',
      ),
    });
    assert.deepEqual(ok.deploy.hooks.get('nginx'), {
      name: 'nginx',
      command: ['/usr/sbin/nginx', '-s', 'reload'],
      timeoutSeconds: 20,
    });
    const cases: Array<[string, RegExp]> = [
      ['not json', /cannot be read as JSON/],
      ['[]', /expected an object/],
      ['{"a b": {"command": ["/bin/true"]}}', /hook name "a b"/],
      ['{"x": {"command": "nginx -s reload"}}', /non-empty array of strings/],
      ['{"x": {"command": ["nginx", "-s", "reload"]}}', /must be an absolute path/],
      ['{"x": {"command": ["/bin/true"], "timeoutSeconds": 0}}', /timeoutSeconds/],
    ];
    for (const [content, message] of cases) {
      assert.throws(() => load({ CERTDESK_DEPLOY_HOOKS: hooks(content) }), message, content);
    }
    assert.throws(
      () => load({ CERTDESK_DEPLOY_HOOKS: path.join(dir, 'missing.json') }),
      /CERTDESK_DEPLOY_HOOKS .*ENOENT/,
    );
    assert.throws(() => load({ CERTDESK_DRIFT_CHECK_MINUTES: 'hourly' }), /CERTDESK_DRIFT_CHECK_MINUTES/);
  });

  test('roots unset: local targets are refused with DEPLOY_DISABLED and how to enable them', async () => {
    const { app, close } = await createTestApp();
    try {
      const session = await login(app);
      const pki = await makePki();
      const certificateId = insertCertificate(app, {
        leaf: await makeLeaf(pki.intermediate, { cn: 'x.test' }),
        pki,
      }).id;
      const res = await app.inject({
        method: 'POST',
        url: '/api/targets',
        headers: session.headers,
        payload: {
          name: 'x',
          certificateId,
          kind: 'local',
          files: [{ path: '/etc/ssl/x.pem', content: 'cert' }],
        },
      });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().code, 'DEPLOY_DISABLED');
      assert.match(res.json().message, /Set CERTDESK_DEPLOY_ROOTS/);
      const config = (
        await app.inject({ method: 'GET', url: '/api/deploy/config', headers: session.headers })
      ).json();
      assert.equal(config.localEnabled, false);
      assert.deepEqual(config.roots, []);
    } finally {
      await close();
    }
  });
});
