import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { migrations } from '../../src/db/migrations.js';
import { migrate } from '../../src/db/open.js';

test('tokens made before expiry existed get 90 days from their creation; old sessions count as HTTP', () => {
  const db = new Database(':memory:');
  try {
    const expiry = migrations.findIndex((m) => typeof m === 'string' && m.includes('ADD COLUMN expires_at'));
    assert.ok(expiry > 0, 'the expiry migration exists');
    // The database as it was just before that migration.
    for (let v = 1; v <= expiry; v++) db.exec(migrations[v - 1] as string);
    db.pragma(`user_version = ${expiry}`);
    db.prepare(
      "INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'admin', 'x', 'now')",
    ).run();
    db.prepare(
      `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
       VALUES (1, 'old', 'h', 'cdk_', '2026-01-10T08:30:00.123Z')`,
    ).run();
    db.prepare(
      `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ('s', 1, 'c', 1, 1)`,
    ).run();

    migrate(db);

    const token = db.prepare('SELECT expires_at FROM api_tokens').get() as { expires_at: string };
    assert.equal(token.expires_at, '2026-04-10T08:30:00.123Z');
    const session = db.prepare('SELECT secure FROM sessions').get() as { secure: number };
    assert.equal(session.secure, 0);
  } finally {
    db.close();
  }
});
