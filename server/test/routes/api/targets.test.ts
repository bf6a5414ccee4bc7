import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Target } from '@certdesk/shared';
import { SMTPServer } from 'smtp-server';
import { createTestApp, login, type Session, type TestApp, tempDir } from '../../support/app.js';
import { TestNginx } from '../../support/nginx.js';
import { type Issued, makeLeaf, makePki, type TestChain } from '../../support/pki.js';
import { freePort } from '../../support/ports.js';
import { insertCertificate } from '../../support/seed.js';

/**
 * Deployment to a real nginx on loopback (issue 12): files under CERTDESK_DEPLOY_ROOTS, reload through a
 * declared hook, the served certificate checked by a handshake. Every failure path ends with nginx still
 * serving the previous certificate and the previous files in place.
 */
describe('deployment targets against a real nginx', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let session: Session;
  let pki: TestChain;
  let nginx: TestNginx;
  const root = tempDir('certdesk-deploy-root-');
  const ssl = path.join(root, 'ssl');
  const certFile = path.join(ssl, 'web.crt');
  const keyFile = path.join(ssl, 'web.key');
  const hooksFile = path.join(root, '..', `${path.basename(root)}-hooks.json`);
  const ids: Record<string, number> = {};
  const leaves: Record<string, Issued> = {};
  const fp = (leaf: Issued) => leaf.cert.fingerprint256.replace(/:/g, '');
  let targetId = 0;
  let deployedFiles: { cert: string; key: string } = { cert: '', key: '' };

  const files = () => ({ cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') });
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

  /** What every failure must leave: the previous certificate served, the previous files in place. */
  async function assertPreviousKept(): Promise<void> {
    assert.equal(await nginx.servedFingerprint(), fp(leaves.b as Issued));
    assert.deepEqual(files(), deployedFiles);
  }

  before(async () => {
    pki = await makePki();
    for (const name of ['a', 'b', 'c']) {
      leaves[name] = await makeLeaf(pki.intermediate, { cn: 'web.test', sans: ['web.test', '127.0.0.1'] });
    }
    fs.mkdirSync(ssl);
    fs.writeFileSync(certFile, (leaves.a as Issued).certPem + pki.intermediate.certPem);
    fs.writeFileSync(keyFile, (leaves.a as Issued).keyPem, { mode: 0o600 });
    nginx = new TestNginx({ certFile, keyFile });
    await nginx.start();
    fs.writeFileSync(
      hooksFile,
      JSON.stringify({
        'nginx-reload': { command: nginx.reloadArgv(), timeoutSeconds: 10 },
        'nginx-test-reload': { command: nginx.checkedReloadArgv(), timeoutSeconds: 10 },
        failing: { command: ['/bin/sh', '-c', 'echo "reload refused: boom" >&2; exit 3'] },
        noop: { command: ['/bin/true'] },
      }),
    );
    ({ app, close } = await createTestApp(
      { CERTDESK_DEPLOY_ROOTS: root, CERTDESK_DEPLOY_HOOKS: hooksFile },
      { deploy: { verifyTiming: { windowMs: 2500, intervalMs: 250, attemptTimeoutMs: 2000 } } },
    ));
    session = await login(app);
    for (const name of ['a', 'b', 'c']) {
      ids[name] = insertCertificate(app, { leaf: leaves[name] as Issued, pki, name: `web ${name}` }).id;
    }
  });

  after(async () => {
    await nginx?.stop();
    await close?.();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(hooksFile, { force: true });
  });

  test('configuration is listed read only: roots, hook names and argv, how to change them', async () => {
    const hooks = (await call('GET', '/api/deploy/hooks')).json() as { items: { name: string }[] };
    assert.deepEqual(
      hooks.items.map((h) => h.name),
      ['nginx-reload', 'nginx-test-reload', 'failing', 'noop'],
    );
    const config = (await call('GET', '/api/deploy/config')).json();
    assert.deepEqual(config.roots, [root]);
    assert.equal(config.localEnabled, true);
    assert.deepEqual(config.hooks[0].command, nginx.reloadArgv());
    assert.match(config.howToChange, /CERTDESK_DEPLOY_ROOTS/);
  });

  test('deploy fullchain + key: nginx reloaded, the new certificate served, the old files kept beside', async () => {
    const res = await call('POST', '/api/targets', {
      name: 'web',
      certificateId: ids.b,
      kind: 'local',
      files: [
        { path: certFile, content: 'fullchain' },
        { path: keyFile, content: 'key', mode: '0640' },
      ],
      hook: 'nginx-reload',
      verify: { host: '127.0.0.1', port: nginx.port, serverName: 'web.test' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const target = res.json() as Target;
    targetId = target.id;
    assert.equal(target.lastDeployment, null);
    assert.deepEqual(
      target.files.map((f) => f.mode),
      ['0644', '0640'],
    );

    const dep = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(dep.statusCode, 200, dep.body);
    const body = dep.json();
    assert.equal(body.status, 'deployed');
    assert.equal(body.fingerprintSha256, fp(leaves.b as Issued));
    assert.equal(body.probe.ok, true);
    assert.deepEqual(
      body.steps.map((s: { step: string }) => s.step),
      ['write', 'hook', 'verify'],
    );
    assert.equal(await nginx.settledFingerprint(fp(leaves.b as Issued)), fp(leaves.b as Issued));
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o640);
    assert.equal(fs.readFileSync(`${keyFile}.certdesk-previous`, 'utf8'), (leaves.a as Issued).keyPem);
    assert.match(
      files().cert,
      /BEGIN CERTIFICATE[\s\S]+BEGIN CERTIFICATE/,
      'full chain: leaf and intermediate',
    );
    deployedFiles = files();

    const got = (await call('GET', `/api/targets/${targetId}`)).json() as Target;
    assert.equal(got.lastDeployment?.status, 'deployed');
    assert.equal(got.drift, false);
    const ofCert = (await call('GET', `/api/certificates/${ids.b}/targets`)).json();
    assert.deepEqual(
      ofCert.items.map((t: Target) => t.name),
      ['web'],
    );
    const audit = app.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'deploy.%' ORDER BY id")
      .all();
    assert.deepEqual(
      audit.map((r) => (r as { action: string }).action),
      ['deploy.start', 'deploy.write', 'deploy.hook', 'deploy.verify', 'deploy.done'],
    );
  });

  test('a hook that exits non-zero: rolled back, its output tail reported', async () => {
    assert.equal(
      (await call('PATCH', `/api/targets/${targetId}`, { certificateId: ids.c, hook: 'failing' })).statusCode,
      200,
    );
    const res = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.code, 'DEPLOY_FAILED');
    assert.equal(body.status, 'rolled-back');
    assert.equal(body.step, 'hook');
    assert.match(body.hookOutputTail, /reload refused: boom/);
    assert.match(body.message, /exited with status 3/);
    await assertPreviousKept();
  });

  test('nginx refuses the new files (certificate without its key): nginx -t fails, rolled back', async () => {
    // Only the certificate file changes: nginx would pair C's certificate with B's key.
    const res0 = await call('PATCH', `/api/targets/${targetId}`, {
      hook: 'nginx-test-reload',
      files: [{ path: certFile, content: 'fullchain' }],
    });
    assert.equal(res0.statusCode, 200, res0.body);
    const res = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.status, 'rolled-back');
    assert.equal(body.step, 'hook');
    assert.match(body.hookOutputTail, /key values mismatch|PrivateKey/i);
    await assertPreviousKept();
  });

  test('a plain `nginx -s reload` of files nginx refuses fails too (it loads them first): rolled back', async () => {
    assert.equal((await call('PATCH', `/api/targets/${targetId}`, { hook: 'nginx-reload' })).statusCode, 200);
    const res = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.step, 'hook');
    assert.match(body.hookOutputTail, /key values mismatch|PrivateKey/i);
    await assertPreviousKept();
  });

  test('a hook that does nothing: the old certificate is still served, rolled back', async () => {
    // The previous test's rollback ended with `nginx -s reload`, which only signals the master: it rereads
    // the files when it handles the signal. Deploying the next files before then let that late reload
    // serve them, and a no-op hook then looked like a working one. Give the master its second.
    await new Promise((r) => setTimeout(r, 1000));
    const res0 = await call('PATCH', `/api/targets/${targetId}`, {
      hook: 'noop',
      files: [
        { path: certFile, content: 'fullchain' },
        { path: keyFile, content: 'key', mode: '0640' },
      ],
    });
    assert.equal(res0.statusCode, 200, res0.body);
    const res = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.status, 'rolled-back');
    assert.equal(body.step, 'verify');
    assert.match(body.message, /serves another certificate/);
    assert.equal(body.probe.fingerprintSha256, fp(leaves.b as Issued));
    assert.ok(body.probe.attempts >= 2, 'retried within the window');
    await assertPreviousKept();
    const history = (await call('GET', `/api/deploy/history?targetId=${targetId}`)).json();
    assert.deepEqual(
      history.items.map((d: { status: string }) => d.status),
      ['rolled-back', 'rolled-back', 'rolled-back', 'rolled-back', 'deployed'],
    );
  });

  test('paths outside the roots and unknown hooks are refused with their codes', async () => {
    const base = { name: 'x', certificateId: ids.c, kind: 'local' };
    const outside = await call('POST', '/api/targets', {
      ...base,
      files: [{ path: '/etc/ssl/x.pem', content: 'cert' }],
    });
    assert.equal(outside.statusCode, 422);
    assert.equal(outside.json().code, 'PATH_NOT_ALLOWED');
    const dotdot = await call('POST', '/api/targets', {
      ...base,
      files: [{ path: `${root}/../x.pem`, content: 'cert' }],
    });
    assert.equal(dotdot.json().code, 'PATH_NOT_ALLOWED');
    const link = path.join(root, 'escape');
    fs.symlinkSync('/etc', link);
    const viaLink = await call('POST', '/api/targets', {
      ...base,
      files: [{ path: `${link}/x.pem`, content: 'cert' }],
    });
    assert.equal(viaLink.json().code, 'PATH_NOT_ALLOWED');
    fs.unlinkSync(link);
    const hook = await call('POST', '/api/targets', {
      ...base,
      files: [{ path: `${root}/x.pem`, content: 'cert' }],
      hook: 'rm-rf',
    });
    assert.equal(hook.statusCode, 422);
    assert.equal(hook.json().code, 'UNKNOWN_HOOK');
    const worldKey = await call('POST', '/api/targets', {
      ...base,
      files: [{ path: `${root}/x.key`, content: 'key', mode: '0644' }],
    });
    assert.equal(worldKey.json().code, 'VALIDATION_ERROR');
  });

  test('a directory turned into a link out of the roots after creation: refused at deploy, first file put back', async () => {
    const dir = path.join(root, 'later');
    fs.mkdirSync(dir);
    const res0 = await call('PATCH', `/api/targets/${targetId}`, {
      hook: 'nginx-reload',
      files: [
        { path: certFile, content: 'fullchain' },
        { path: keyFile, content: 'key', mode: '0640' },
        { path: `${dir}/copy.pem`, content: 'cert' },
      ],
    });
    assert.equal(res0.statusCode, 200, res0.body);
    fs.rmdirSync(dir);
    const outside = tempDir('certdesk-outside-');
    fs.symlinkSync(outside, dir);
    try {
      const res = await call('POST', `/api/targets/${targetId}/deploy`);
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json();
      assert.equal(body.step, 'write');
      assert.match(body.message, /symbolic link/);
      assert.deepEqual(fs.readdirSync(outside), []);
      await assertPreviousKept();
    } finally {
      fs.unlinkSync(dir);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a directory that cannot be written (its "directory" is a file): rolled back', async () => {
    const notDir = path.join(root, 'not-a-dir');
    fs.writeFileSync(notDir, 'plain file');
    const res0 = await call('PATCH', `/api/targets/${targetId}`, {
      files: [
        { path: certFile, content: 'fullchain' },
        { path: keyFile, content: 'key', mode: '0640' },
        { path: `${notDir}/copy.pem`, content: 'cert' },
      ],
    });
    assert.equal(res0.statusCode, 200, res0.body);
    const res = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().step, 'write');
    assert.equal(res.json().status, 'rolled-back');
    await assertPreviousKept();
    assert.deepEqual(
      fs.readdirSync(ssl).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left behind',
    );
  });

  test('deleting a certificate a target delivers is refused; deleting the target is not', async () => {
    const del = await call('DELETE', `/api/certificates/${ids.c}`);
    assert.equal(del.statusCode, 409);
    assert.match(del.json().message, /deployment targets \(web\)/);
    const t = await call('POST', '/api/targets', {
      name: 'spare',
      certificateId: ids.a,
      kind: 'local',
      files: [{ path: `${root}/spare.pem`, content: 'cert' }],
    });
    assert.equal(t.statusCode, 201, t.body);
    assert.equal((await call('DELETE', `/api/targets/${t.json().id}`)).statusCode, 204);
    assert.equal((await call('GET', `/api/targets/${t.json().id}`)).statusCode, 404);
  });

  test('the dashboard counts failed and drifting targets', async () => {
    const d = (await call('GET', '/api/dashboard')).json();
    assert.deepEqual(d.targets, { total: 1, failed: 1, drifting: 0 });
  });
  test('a mail target checked over SMTP STARTTLS: deployed when the mail server serves the certificate', async () => {
    const a = leaves.a as Issued;
    const smtp = new SMTPServer({ key: a.keyPem, cert: a.certPem, authOptional: true, logger: false });
    const port = await freePort();
    await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', r));
    try {
      const res = await call('POST', '/api/targets', {
        name: 'mail',
        certificateId: ids.a,
        kind: 'local',
        files: [{ path: path.join(root, 'mail.pem'), content: 'fullchain+key' }],
        hook: 'noop',
        verify: { host: '127.0.0.1', port, serverName: 'web.test', starttls: 'smtp' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const dep = await call('POST', `/api/targets/${res.json().id}/deploy`);
      assert.equal(dep.statusCode, 200, dep.body);
      assert.equal(dep.json().probe.fingerprintSha256, fp(a));
      const checked = (await call('POST', `/api/targets/${res.json().id}/check`)).json() as Target;
      assert.equal(checked.drift, false);
      assert.equal(checked.lastCheck?.probe.ok, true);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
