import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { connectSsh } from '../../src/deploy/ssh-transport.js';
import { createTestApp, login, type Session, type TestApp, tempDir } from '../support/app.js';
import { makeLeaf, makePki } from '../support/pki.js';
import { insertCertificate } from '../support/seed.js';
import { startSshd, type TestSshd } from '../support/sshd.js';

let sshd: TestSshd;
let app: TestApp;
let close: () => Promise<void>;
let session: Session;
const hooksFile = `${tempDir('certdesk-sshint-')}/hooks.json`;
before(async () => {
  sshd = await startSshd();
  fs.writeFileSync(
    hooksFile,
    JSON.stringify({
      touch: { command: ['/usr/bin/touch', `${sshd.dir}/hooked`] },
      fail: { command: ['/bin/false'] },
    }),
  );
  ({ app, close } = await createTestApp({ CERTDESK_DEPLOY_HOOKS: hooksFile }, { deploy: { connectSsh } }));
  session = await login(app);
});
after(async () => {
  await close?.();
  await sshd?.stop();
});

async function make(name: string, hook: string, hostKeySha256 = sshd.hostKeySha256) {
  const pki = await makePki();
  const id = insertCertificate(app, {
    leaf: await makeLeaf(pki.intermediate, { cn: `${name}.test` }),
    pki,
  }).id;
  const res = await app.inject({
    method: 'POST',
    url: '/api/targets',
    headers: session.headers,
    payload: {
      name,
      certificateId: id,
      kind: 'ssh',
      hook,
      ssh: {
        host: sshd.host,
        port: sshd.port,
        username: sshd.username,
        hostKeySha256,
        privateKey: sshd.clientKey,
      },
      files: [
        { path: `${sshd.dir}/${name}.crt`, content: 'fullchain' },
        { path: `${sshd.dir}/${name}.key`, content: 'key' },
      ],
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}
const deploy = (id: number) =>
  app.inject({ method: 'POST', url: `/api/targets/${id}/deploy`, headers: session.headers });

test('deploys over real ssh', async () => {
  const r = await deploy(await make('web', 'touch'));
  assert.equal(r.statusCode, 200, r.body);
  assert.match(fs.readFileSync(`${sshd.dir}/web.crt`, 'utf8'), /BEGIN CERTIFICATE/);
  assert.equal(fs.statSync(`${sshd.dir}/web.key`).mode & 0o777, 0o600);
  assert.ok(fs.existsSync(`${sshd.dir}/hooked`));
});
test('failing hook rolls back', async () => {
  fs.writeFileSync(`${sshd.dir}/bad.crt`, 'OLD');
  const r = await deploy(await make('bad', 'fail'));
  console.log(r.statusCode, r.body);
  assert.equal(r.statusCode, 422);
  assert.equal(fs.readFileSync(`${sshd.dir}/bad.crt`, 'utf8'), 'OLD');
  assert.equal(fs.existsSync(`${sshd.dir}/bad.key`), false);
});
test('host key mismatch', async () => {
  const r = await deploy(await make('mm', 'touch', 'SHA256:Qb744bAb0ydZ/zzpWVoJ+kJYZs2jSQEJXcZFkWXB7CI'));
  console.log(r.statusCode, r.body);
  assert.equal(r.statusCode, 422);
});
