import type { Db } from '../db/open.js';
import type { ServerSettings } from '../store/server-settings.js';

/**
 * A change that waits for confirmation over the new listener. Persisted so a restart during the window
 * reverts (the committed settings row is untouched until confirm), and so the UI can explain a revert.
 */
export interface StoredPendingChange {
  createdAt: string;
  expiresAt: string;
  settings: ServerSettings;
  changes: string[];
}

export interface StoredRevert {
  at: string;
  reason: string;
  changes: string[];
}

const PENDING = 'server_settings_pending';
const REVERT = 'server_settings_last_revert';

function read<T>(db: Db, key: string): T | null {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : null;
}

function write(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

export function readPending(db: Db): StoredPendingChange | null {
  return read<StoredPendingChange>(db, PENDING);
}

export function writePending(db: Db, pending: StoredPendingChange): void {
  write(db, PENDING, pending);
}

export function clearPending(db: Db): void {
  db.prepare('DELETE FROM kv WHERE key = ?').run(PENDING);
}

export function readLastRevert(db: Db): StoredRevert | null {
  return read<StoredRevert>(db, REVERT);
}

export function writeLastRevert(db: Db, revert: StoredRevert): void {
  write(db, REVERT, revert);
}

export function clearLastRevert(db: Db): void {
  db.prepare('DELETE FROM kv WHERE key = ?').run(REVERT);
}

/** Raw text of the rows an outside writer (the CLI, another feature) may change: cheap to poll. */
export function settingsFingerprint(db: Db): string {
  const rows = db
    .prepare("SELECT key, value FROM kv WHERE key IN ('server_settings', ?) ORDER BY key")
    .all(PENDING) as { key: string; value: string }[];
  const bindings = db
    .prepare('SELECT group_concat(id || hostname || certificate_id) AS b FROM bindings')
    .get() as {
    b: string | null;
  };
  return JSON.stringify([rows, bindings.b]);
}
