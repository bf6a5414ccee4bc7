import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { buildApp } from '../../src/build-app.js';
import { loadConfig } from '../../src/config.js';
import { ADMIN_PASSWORD, login, tempDir } from '../support/app.js';

/**
 * Red-team finding: with a data directory that already existed 0755, certdesk.db and its -wal/-shm were
 * created 0644: password hashes, session and CSRF tokens and the audit trail readable by every local user.
 */
const parent = tempDir('certdesk-modes-');
after(() => fs.rmSync(parent, { recursive: true, force: true }));

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const octal = (mode: number) => mode.toString(8).padStart(4, '0');

async function start(dataDir: string): Promise<{ logs: () => string; close: () => Promise<void> }> {
  let logs = '';
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  const app = await buildApp(
    loadConfig({
      CERTDESK_DATA_DIR: dataDir,
      CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CERTDESK_LOG_LEVEL: 'info',
      CERTDESK_WEB_DIST: '/nonexistent',
    }),
    {},
    { logStream },
  );
  // A sign-in writes a session: the WAL now holds a secret.
  await login(app);
  return { logs: () => logs, close: () => app.close() };
}

function assertOwnerOnlyFiles(dataDir: string): void {
  for (const name of ['certdesk.db', 'certdesk.db-wal', 'certdesk.db-shm', 'kek.key']) {
    const file = path.join(dataDir, name);
    assert.ok(fs.existsSync(file), `${name} exists`);
    assert.equal(octal(modeOf(file)), '0600', name);
  }
}

test('a data directory that already exists 0755: files are 0600 and the start-up log warns', async () => {
  const dataDir = path.join(parent, 'existing');
  fs.mkdirSync(dataDir);
  fs.chmodSync(dataDir, 0o755);
  const app = await start(dataDir);
  try {
    assertOwnerOnlyFiles(dataDir);
    const warning = app
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; mode?: string })
      .find((l) => l.level === 40 && /data directory/.test(l.msg));
    assert.ok(warning, 'a warn line names the data directory');
    assert.equal(warning.mode, '0755');
    assert.match(warning.msg, /chmod 700/);
  } finally {
    await app.close();
  }
});

test('a data directory certdesk creates is 0700, and no warning is logged', async () => {
  const dataDir = path.join(parent, 'new', 'data');
  const app = await start(dataDir);
  try {
    assert.equal(octal(modeOf(dataDir)), '0700');
    assertOwnerOnlyFiles(dataDir);
    assert.doesNotMatch(app.logs(), /data directory .* is open to other users/);
  } finally {
    await app.close();
  }
});

test('files an older version left 0644 are narrowed to 0600 at start', async () => {
  const dataDir = path.join(parent, 'older');
  const first = await start(dataDir);
  await first.close();
  for (const name of ['certdesk.db', 'kek.key']) fs.chmodSync(path.join(dataDir, name), 0o644);
  const again = await start(dataDir);
  try {
    assertOwnerOnlyFiles(dataDir);
  } finally {
    await again.close();
  }
});
