import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, login, type Session, type TestApp, tempDir } from '../../support/app.js';
import { makePki } from '../../support/pki.js';
import { seedCertificate } from '../../support/seed.js';

const PASSWORD = 'a long enough passphrase for tests';

/**
 * A target that writes the private key sends it wherever its host, paths and owner say: an operator, who may
 * not download a key, may not create or change such a target either (else a target on a host of its own
 * choosing is a key download). It may still deploy one an administrator set up, and manage the others.
 */
describe('deployment targets that carry the private key, by role', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let root: string;
  let certificateId: number;
  const sessions = {} as Record<'admin' | 'operator', Session>;

  before(async () => {
    root = tempDir('certdesk-target-roles-');
    ({ app, close } = await createTestApp({ CERTDESK_DEPLOY_ROOTS: root }));
    certificateId = (await seedCertificate(app, await makePki(), { cn: 'roles.example' })).id;
    sessions.admin = await login(app);
    await app.accounts.create(null, 'operator', PASSWORD, 'operator');
    sessions.operator = await login(app, 'operator', PASSWORD);
  });
  after(async () => {
    await close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const call = (role: 'admin' | 'operator', method: 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: sessions[role].headers, payload: payload ?? {} });
  const body = (name: string, contents: string[]) => ({
    name,
    certificateId,
    kind: 'local',
    files: contents.map((content, i) => ({ path: path.join(root, `${name}-${i}.pem`), content })),
  });
  const refused = (res: { statusCode: number; json(): { code: string; message: string } }, what: string) => {
    assert.equal(res.statusCode, 403, what);
    assert.equal(res.json().code, 'FORBIDDEN', what);
    assert.match(res.json().message, /cannot export private keys/, what);
  };

  test('an operator cannot create a target with the key in any form; an administrator can', async () => {
    for (const content of ['key', 'cert+key', 'fullchain+key', 'pfx']) {
      refused(
        await call('operator', 'POST', '/api/targets', body(`op-${content}`, ['cert', content])),
        content,
      );
    }
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/targets', headers: sessions.admin.headers })).json().items
        .length,
      0,
    );
    const created = await call('admin', 'POST', '/api/targets', body('admin-key', ['fullchain', 'key']));
    assert.equal(created.statusCode, 201, created.body);
  });

  test('an operator cannot change a target that writes the key, nor add the key to one', async () => {
    const keyTarget = (await call('admin', 'POST', '/api/targets', body('with-key', ['cert', 'key']))).json()
      .id;
    refused(await call('operator', 'PATCH', `/api/targets/${keyTarget}`, { name: 'renamed' }), 'rename');
    const certOnly = await call('operator', 'POST', '/api/targets', body('cert-only', ['fullchain']));
    assert.equal(certOnly.statusCode, 201, certOnly.body);
    const id = certOnly.json().id;
    refused(
      await call('operator', 'PATCH', `/api/targets/${id}`, body('cert-only', ['fullchain', 'key'])),
      'add',
    );
    const renamed = await call('operator', 'PATCH', `/api/targets/${id}`, { name: 'still-cert-only' });
    assert.equal(renamed.statusCode, 200, renamed.body);
  });

  test('an operator may deploy a target with the key that an administrator set up', async () => {
    const id = (await call('admin', 'POST', '/api/targets', body('deploy-me', ['fullchain', 'key']))).json()
      .id;
    const res = await call('operator', 'POST', `/api/targets/${id}/deploy`);
    assert.notEqual(res.json().code, 'FORBIDDEN', res.body);
    assert.equal(res.statusCode, 200, res.body);
  });
});
