import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { buildApp } from '../../../src/build-app.js';
import { loadConfig } from '../../../src/config.js';
import { ADMIN_PASSWORD, login, tempDir } from '../../support/app.js';
import { FakeClock } from '../../support/fake-clock.js';
import { enrolTotp, loginRequest, totpAt } from '../../support/totp.js';

/** RFC 4648 Base32 to bytes (the form the HMAC key takes). */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

test('the TOTP secret and recovery codes are neither in the database files in clear nor in the log', async () => {
  const dataDir = tempDir();
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({
    CERTDESK_DATA_DIR: dataDir,
    CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CERTDESK_LOG_LEVEL: 'trace',
    CERTDESK_WEB_DIST: '/nonexistent',
  });
  const clock = new FakeClock();
  const app = await buildApp(config, {}, { logStream, clock });
  try {
    const s = await login(app);
    const { secret, recoveryCodes } = await enrolTotp(app, s, clock);
    assert.equal((await loginRequest(app, totpAt(secret, clock.now()))).statusCode, 200);
    assert.equal((await loginRequest(app, '123456')).statusCode, 401);
    assert.equal((await loginRequest(app, recoveryCodes[0])).statusCode, 200);

    const raw = base32Decode(secret);
    assert.equal(raw.length, 20);
    const needles = [
      Buffer.from(secret),
      Buffer.from(secret.toLowerCase()),
      raw,
      ...recoveryCodes.flatMap((c) => [Buffer.from(c), Buffer.from(c.replaceAll('-', ''))]),
    ];
    // The database, its WAL and anything else SQLite left next to it.
    const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('certdesk.db'));
    assert.ok(files.includes('certdesk.db'));
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(dataDir, file));
      for (const needle of needles)
        assert.equal(bytes.indexOf(needle), -1, `${file} holds a secret in clear`);
    }
    await app.close();
    const log = lines.join('');
    assert.ok(log.includes('/api/auth/totp/enable'), 'the log was captured');
    for (const needle of needles)
      assert.ok(!log.includes(needle.toString('latin1')), 'a secret reached the log');
    assert.ok(!log.includes(raw.toString('base64')));
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
