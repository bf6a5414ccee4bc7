import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { buildApp } from '../../../src/build-app.js';
import { loadConfig } from '../../../src/config.js';
import { ADMIN_PASSWORD, login, tempDir } from '../../support/app.js';

test('CSR, key download and key decryption never put a key, password or passphrase in the log', async () => {
  const dataDir = tempDir();
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  // Trace level: everything fastify and the routes ever log, request bodies' neighbours included.
  const config = loadConfig({
    CERTDESK_DATA_DIR: dataDir,
    CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CERTDESK_LOG_LEVEL: 'trace',
    CERTDESK_WEB_DIST: '/nonexistent',
  });
  const app = await buildApp(config, {}, { logStream });
  try {
    const s = await login(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/csrs',
      headers: s.headers,
      payload: { commonName: 'log.example.com', keyType: 'ec', curve: 'P-256' },
    });
    assert.equal(created.statusCode, 201);
    const { id } = created.json() as { id: number };
    const PASSPHRASE = 'log-test passphrase 7f3a';
    const wrong = await app.inject({
      method: 'POST',
      url: `/api/csrs/${id}/key`,
      headers: s.headers,
      payload: { password: 'wrong-pw-9q' },
    });
    assert.equal(wrong.statusCode, 403);
    const key = await app.inject({
      method: 'POST',
      url: `/api/csrs/${id}/key`,
      headers: s.headers,
      payload: { password: ADMIN_PASSWORD, passphrase: PASSPHRASE },
    });
    assert.equal(key.statusCode, 200);
    const decrypted = await app.inject({
      method: 'POST',
      url: '/api/tools/decrypt-key',
      headers: s.headers,
      payload: { key: key.body, passphrase: PASSPHRASE },
    });
    assert.equal(decrypted.statusCode, 200);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/tools/decrypt-key',
      headers: s.headers,
      payload: { key: key.body, passphrase: 'wrong passphrase 22' },
    });
    assert.equal(bad.statusCode, 422);

    const log = lines.join('');
    assert.ok(log.length > 0 && log.includes('/api/csrs'), 'the log was captured');
    const keyBody = key.body.split('\n')[1] as string;
    const plainBody = (decrypted.json() as { keyPem: string }).keyPem.split('\n')[1] as string;
    for (const secret of [
      ADMIN_PASSWORD,
      'wrong-pw-9q',
      PASSPHRASE,
      'wrong passphrase 22',
      'PRIVATE KEY',
      keyBody,
      plainBody,
    ]) {
      assert.ok(!log.includes(secret), `the log contains ${secret.slice(0, 12)}…`);
    }
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
