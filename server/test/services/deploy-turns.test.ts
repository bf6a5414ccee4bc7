import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Target } from '@certdesk/shared';
import { DeployLeaseStore } from '../../src/store/deploy-leases.js';
import { createTestApp, login, type Session, type TestApp, tempDir } from '../support/app.js';
import { makeLeaf, makePki, type TestChain } from '../support/pki.js';
import { insertCertificate } from '../support/seed.js';

/**
 * One deployment per target across processes: a lease row in deploy_leases, held by a pid. Here "another
 * process" is a real one (a `sleep` child whose pid holds the lease), so the liveness check is the real one.
 */
describe('deploy leases: another process deploying the same target', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let session: Session;
  let pki: TestChain;
  let leases: DeployLeaseStore;
  let targetId = 0;
  const children: ChildProcess[] = [];
  const root = tempDir('certdesk-deploy-turns-');
  const hooksFile = `${root}-hooks.json`;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string) =>
    app.inject({ method, url, headers: session.headers });

  /** A live process that is not this one, whose pid can hold a lease. */
  function otherProcess(): ChildProcess {
    const child = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    children.push(child);
    return child;
  }

  before(async () => {
    fs.writeFileSync(hooksFile, JSON.stringify({ ok: { command: ['/bin/true'] } }));
    ({ app, close } = await createTestApp({ CERTDESK_DEPLOY_ROOTS: root, CERTDESK_DEPLOY_HOOKS: hooksFile }));
    session = await login(app);
    pki = await makePki();
    leases = new DeployLeaseStore(app.db);
    const id = insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, { cn: 'turns.test' }),
      pki,
    }).id;
    const res = await app.inject({
      method: 'POST',
      url: '/api/targets',
      headers: session.headers,
      payload: {
        name: 'turns',
        certificateId: id,
        kind: 'local',
        files: [{ path: path.join(root, 'turns.pem'), content: 'fullchain+key' }],
        hook: 'ok',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    targetId = res.json().id;
  });

  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await close?.();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(hooksFile, { force: true });
  });

  test('held by a live process: deploy and delete are refused with a sentence naming it', async () => {
    const other = otherProcess();
    assert.ok(leases.tryAcquire(targetId, { id: 'other', pid: other.pid! }, Date.now(), 60_000, () => false));
    const deploy = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(deploy.statusCode, 409, deploy.body);
    assert.equal(deploy.json().code, 'DEPLOY_IN_PROGRESS');
    assert.match(deploy.json().message, /Another certdesk process/);
    assert.equal((await call('DELETE', `/api/targets/${targetId}`)).statusCode, 409);
    leases.release(targetId, { id: 'other', pid: other.pid! });
    assert.equal((await call('POST', `/api/targets/${targetId}/deploy`)).statusCode, 200);
  });

  test('left behind by a process that died: taken over at once', async () => {
    const other = otherProcess();
    const pid = other.pid!;
    assert.ok(leases.tryAcquire(targetId, { id: 'dead', pid }, Date.now(), 60_000, () => false));
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const deploy = await call('POST', `/api/targets/${targetId}/deploy`);
    assert.equal(deploy.statusCode, 200, deploy.body);
  });

  test('an expired lease is taken over even if its pid runs again (a reused pid)', async () => {
    const other = otherProcess();
    assert.ok(
      leases.tryAcquire(targetId, { id: 'old', pid: other.pid! }, Date.now() - 120_000, 60_000, () => false),
    );
    assert.equal((await call('POST', `/api/targets/${targetId}/deploy`)).statusCode, 200);
  });

  test('a delivery after promote waits for the other process, then deploys', async () => {
    const current = ((await call('GET', `/api/targets/${targetId}`)).json() as Target).certificateId;
    const other = otherProcess();
    const holder = { id: 'cron', pid: other.pid! };
    assert.ok(leases.tryAcquire(targetId, holder, Date.now(), 60_000, () => false));
    const next = insertCertificate(app, {
      leaf: await makeLeaf(pki.intermediate, { cn: 'turns.test' }),
      pki,
      previousVersionId: current,
    }).id;
    assert.equal((await call('POST', `/api/certificates/${next}/promote`)).statusCode, 200);
    await new Promise((r) => setTimeout(r, 700));
    const waiting = (await call('GET', `/api/targets/${targetId}`)).json() as Target;
    assert.notEqual(
      waiting.lastDeployment?.trigger,
      'promote',
      'nothing deployed while the other process holds it',
    );
    leases.release(targetId, holder);
    await app.deploy.settled();
    const t = (await call('GET', `/api/targets/${targetId}`)).json() as Target;
    assert.equal(t.certificateId, next);
    assert.equal(t.lastDeployment?.trigger, 'promote');
    assert.equal(t.lastDeployment?.status, 'deployed');
  });
});
