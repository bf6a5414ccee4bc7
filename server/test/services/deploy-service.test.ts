import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Target } from '@certdesk/shared';
import type { DeployTransport, FileToWrite } from '../../src/deploy/transport.js';
import type { SshConnectOptions } from '../../src/services/deploy-service.js';
import type { DomainEvents } from '../../src/services/events.js';
import { createTestApp, login, type Session, type TestApp, tempDir } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';
import { TestNginx } from '../support/nginx.js';
import { type Issued, makeLeaf, makePki, type TestChain } from '../support/pki.js';
import { insertCertificate, setActive } from '../support/seed.js';

/**
 * The deploy service beyond one deployment: a replaced certificate (promote, restore) is delivered to its
 * targets by itself, drift is seen by the button and by the periodic check on the injected clock, one
 * deployment per target at a time, and SSH targets keep their key sealed and reach the injected transport.
 */
describe('certificates follow their versions to their targets; drift', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let session: Session;
  let pki: TestChain;
  let nginx: TestNginx;
  const clock = new FakeClock();
  const root = tempDir('certdesk-deploy-follow-');
  const certFile = path.join(root, 'web.crt');
  const keyFile = path.join(root, 'web.key');
  const hooksFile = `${root}-hooks.json`;
  const events: Array<{ name: string; payload: unknown }> = [];
  const fp = (leaf: Issued) => leaf.cert.fingerprint256.replace(/:/g, '');
  const leaf = (cn = 'web.test') => makeLeaf(pki.intermediate, { cn, sans: [cn, '127.0.0.1'] });
  let targetId = 0;
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
  const target = async () => (await call('GET', `/api/targets/${targetId}`)).json() as Target;

  before(async () => {
    pki = await makePki();
    const first = await leaf();
    fs.writeFileSync(certFile, first.certPem);
    fs.writeFileSync(keyFile, first.keyPem, { mode: 0o600 });
    nginx = new TestNginx({ certFile, keyFile });
    await nginx.start();
    fs.writeFileSync(
      hooksFile,
      JSON.stringify({
        reload: { command: nginx.reloadArgv() },
        failing: { command: ['/bin/false'] },
        slow: { command: ['/bin/sleep', '1'] },
      }),
    );
    ({ app, close } = await createTestApp(
      { CERTDESK_DEPLOY_ROOTS: root, CERTDESK_DEPLOY_HOOKS: hooksFile },
      { clock, deploy: { verifyTiming: { windowMs: 2000, intervalMs: 200, attemptTimeoutMs: 1500 } } },
    ));
    session = await login(app);
    for (const name of ['deploy-failed', 'drift'] as const) {
      app.events.on(name, (payload: DomainEvents[typeof name]) => void events.push({ name, payload }));
    }
  });

  after(async () => {
    await nginx?.stop();
    await close?.();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(hooksFile, { force: true });
  });

  test('promote delivers the new version to the target of the old one; restore delivers the old one back', async () => {
    const v1leaf = await leaf();
    const v1 = insertCertificate(app, { leaf: v1leaf, pki }).id;
    setActive(app, v1);
    const created = await call('POST', '/api/targets', {
      name: 'web',
      certificateId: v1,
      kind: 'local',
      files: [
        { path: certFile, content: 'fullchain' },
        { path: keyFile, content: 'key' },
      ],
      hook: 'reload',
      verify: { host: '127.0.0.1', port: nginx.port, serverName: 'web.test' },
    });
    assert.equal(created.statusCode, 201, created.body);
    targetId = created.json().id;
    assert.equal((await call('POST', `/api/targets/${targetId}/deploy`)).statusCode, 200);
    assert.equal(await nginx.settledFingerprint(fp(v1leaf)), fp(v1leaf));

    const v2leaf = await leaf();
    const v2 = insertCertificate(app, { leaf: v2leaf, pki, previousVersionId: v1 }).id;
    const promoted = await call('POST', `/api/certificates/${v2}/promote`);
    assert.equal(promoted.statusCode, 200, promoted.body);
    await app.deploy.settled();
    assert.equal(await nginx.settledFingerprint(fp(v2leaf)), fp(v2leaf));
    const t = await target();
    assert.equal(t.certificateId, v2);
    assert.equal(t.lastDeployment?.status, 'deployed');
    assert.equal(t.lastDeployment?.trigger, 'promote');

    const restored = await call('POST', `/api/certificates/${v1}/restore`);
    assert.equal(restored.statusCode, 200, restored.body);
    await app.deploy.settled();
    assert.equal(await nginx.settledFingerprint(fp(v1leaf)), fp(v1leaf));
    assert.equal((await target()).certificateId, v1);
    assert.equal((await target()).lastDeployment?.trigger, 'restore');
    assert.deepEqual(events, []);
  });

  test('a delivery after promote that fails is rolled back and announced as deploy-failed', async () => {
    const current = (await target()).certificateId;
    assert.equal((await call('PATCH', `/api/targets/${targetId}`, { hook: 'failing' })).statusCode, 200);
    const next = insertCertificate(app, { leaf: await leaf(), pki, previousVersionId: current }).id;
    const before = await nginx.servedFingerprint();
    assert.equal((await call('POST', `/api/certificates/${next}/promote`)).statusCode, 200);
    await app.deploy.settled();
    assert.equal(await nginx.servedFingerprint(), before);
    const t = await target();
    assert.equal(t.lastDeployment?.status, 'rolled-back');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.name, 'deploy-failed');
    assert.equal((events[0]?.payload as DomainEvents['deploy-failed'] | undefined)?.targetName, 'web');
    events.length = 0;
  });

  test('one deployment per target at a time: a second one is told 409 DEPLOY_IN_PROGRESS', async () => {
    assert.equal(
      (await call('PATCH', `/api/targets/${targetId}`, { hook: 'slow', verify: null })).statusCode,
      200,
    );
    const [a, b] = await Promise.all([
      call('POST', `/api/targets/${targetId}/deploy`),
      call('POST', `/api/targets/${targetId}/deploy`),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409]);
    assert.equal((a.statusCode === 409 ? a : b).json().code, 'DEPLOY_IN_PROGRESS');
  });

  test('drift: the check button and the periodic check see another certificate served', async () => {
    const patch = await call('PATCH', `/api/targets/${targetId}`, {
      hook: 'reload',
      verify: { host: '127.0.0.1', port: nginx.port, serverName: 'web.test' },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.equal((await call('POST', `/api/targets/${targetId}/deploy`)).statusCode, 200);
    const checked = (await call('POST', `/api/targets/${targetId}/check`)).json() as Target;
    assert.equal(checked.drift, false);

    // Someone replaces the files by hand and reloads nginx.
    const stranger = await leaf();
    fs.writeFileSync(certFile, stranger.certPem);
    fs.writeFileSync(keyFile, stranger.keyPem);
    await nginx.reloadAndSettle(fp(stranger));
    const drifted = (await call('POST', `/api/targets/${targetId}/check`)).json() as Target;
    assert.equal(drifted.drift, true);
    assert.match(drifted.driftMessage ?? '', /serves another certificate/);
    assert.equal(drifted.lastCheck?.probe.fingerprintSha256, fp(stranger));
    assert.deepEqual(
      events.map((e) => e.name),
      ['drift'],
    );
    const dashboard = (await call('GET', '/api/dashboard')).json();
    assert.equal(dashboard.targets.drifting, 1);

    // Redeploy, then let the service go silent: the periodic check (clock advanced an hour) flags it.
    assert.equal((await call('POST', `/api/targets/${targetId}/deploy`)).statusCode, 200);
    assert.equal((await target()).drift, false);
    await nginx.stop();
    clock.advance(60 * 60_000);
    await app.deploy.settled();
    const silent = await target();
    assert.equal(silent.drift, true);
    assert.match(silent.driftMessage ?? '', /Nothing is served/);
    assert.deepEqual(
      events.map((e) => e.name),
      ['drift', 'drift'],
    );
  });
});

describe('SSH targets: connection stored, key sealed, transport injected', () => {
  // A real key: targets are checked at creation (deploy/ssh-transport.ts parsePrivateKey).
  const sshKey = crypto
    .generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  const hostKeySha256 = `SHA256:${'A'.repeat(43)}`;
  const connected: SshConnectOptions[] = [];
  const written: FileToWrite[] = [];
  const fake: DeployTransport = {
    description: 'deploy@web1:22',
    writeFiles: async (files) => {
      written.push(...files);
      return files.map((f) => ({ path: f.path, previousPath: null }));
    },
    restore: async () => undefined,
    runHook: async () => ({ exitCode: 0, timedOut: false, outputTail: '' }),
    close: async () => undefined,
  };

  test('without the SSH adapter: stored and listed without the key, deploy answers SSH_UNAVAILABLE', async () => {
    const { app, close } = await createTestApp({}, { deploy: { connectSsh: null } });
    try {
      const session = await login(app);
      const pki = await makePki();
      const id = insertCertificate(app, {
        leaf: await makeLeaf(pki.intermediate, { cn: 'web1.test' }),
        pki,
      }).id;
      const body = {
        name: 'web1',
        certificateId: id,
        kind: 'ssh',
        ssh: { host: 'web1.test', port: 22, username: 'deploy', hostKeySha256, privateKey: sshKey },
        files: [{ path: '/etc/ssl/web1.pem', content: 'fullchain+key' }],
      };
      const bad = await app.inject({
        method: 'POST',
        url: '/api/targets',
        headers: session.headers,
        payload: { ...body, ssh: { ...body.ssh, hostKeySha256: 'MD5:aa:bb' } },
      });
      assert.equal(bad.statusCode, 400);
      const res = await app.inject({
        method: 'POST',
        url: '/api/targets',
        headers: session.headers,
        payload: body,
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.doesNotMatch(res.body, /PRIVATE KEY|b3BlbnNz/);
      assert.equal(res.json().ssh.hasPrivateKey, true);
      assert.equal(res.json().files[0].mode, '0600');
      const row = app.db.prepare('SELECT * FROM deploy_targets').get() as Record<string, unknown>;
      assert.doesNotMatch(JSON.stringify(row), /PRIVATE KEY/);
      assert.doesNotMatch((row.ssh_key_sealed as Buffer).toString('latin1'), /PRIVATE KEY/);
      const audit = JSON.stringify(app.db.prepare('SELECT * FROM audit_log').all());
      assert.doesNotMatch(audit, /PRIVATE KEY|b3BlbnNz/);
      const dep = await app.inject({
        method: 'POST',
        url: `/api/targets/${res.json().id}/deploy`,
        headers: session.headers,
      });
      assert.equal(dep.statusCode, 422);
      assert.equal(dep.json().code, 'SSH_UNAVAILABLE');
    } finally {
      await close();
    }
  });

  test('with connectSsh injected: the unsealed key and pinned host key reach it, the files go through it', async () => {
    const { app, close } = await createTestApp(
      {},
      {
        deploy: {
          connectSsh: async (opts) => {
            connected.push(opts);
            return fake;
          },
        },
      },
    );
    try {
      const session = await login(app);
      const pki = await makePki();
      const id = insertCertificate(app, {
        leaf: await makeLeaf(pki.intermediate, { cn: 'web2.test' }),
        pki,
      }).id;
      const res = await app.inject({
        method: 'POST',
        url: '/api/targets',
        headers: session.headers,
        payload: {
          name: 'web2',
          certificateId: id,
          kind: 'ssh',
          ssh: { host: 'web2.test', port: 2222, username: 'deploy', hostKeySha256, privateKey: sshKey },
          files: [{ path: '/etc/ssl/web2.pfx', content: 'pfx', owner: 'www-data' }],
          pfxPassword: 'pfx secret',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().hasPfxPassword, true);
      const dep = await app.inject({
        method: 'POST',
        url: `/api/targets/${res.json().id}/deploy`,
        headers: session.headers,
      });
      assert.equal(dep.statusCode, 200, dep.body);
      assert.deepEqual(connected, [
        { host: 'web2.test', port: 2222, username: 'deploy', hostKeySha256, privateKey: sshKey },
      ]);
      assert.equal(written[0]?.path, '/etc/ssl/web2.pfx');
      assert.equal(written[0]?.owner, 'www-data');
      assert.equal(written[0]?.mode, 0o600);
      assert.equal(written[0]?.data[0], 0x30, 'a DER PKCS#12');
      assert.doesNotMatch(JSON.stringify(app.db.prepare('SELECT * FROM audit_log').all()), /pfx secret/);
      const config = (
        await app.inject({ method: 'GET', url: '/api/deploy/config', headers: session.headers })
      ).json();
      assert.equal(config.sshAvailable, true);
      assert.equal(config.localEnabled, false);
    } finally {
      await close();
    }
  });
});
