import type { Db } from '../db/open.js';
import { BindingStore } from './bindings.js';
import {
  readServerSettings,
  type ServerSettings,
  type SettingsDefaults,
  writeServerSettings,
} from './server-settings.js';

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
  /** The settings of the change that was undone, so the form can offer them again. */
  settings?: ServerSettings;
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

/**
 * Raw text of what an outside writer (the CLI, another feature) may change: the committed and pending
 * settings rows and the SNI bindings. Cheap enough to compare every couple of seconds.
 */
export function settingsFingerprint(db: Db): string {
  const rows = db
    .prepare("SELECT key, value FROM kv WHERE key IN ('server_settings', ?) ORDER BY key")
    .all(PENDING) as { key: string; value: string }[];
  return JSON.stringify([rows, new BindingStore(db).list()]);
}

/**
 * The committed settings, the pending change and the last revert as one repository: the writes that
 * must not be seen half done (commit, revert) each run in one transaction.
 */
export class PendingChangeStore {
  constructor(
    private readonly db: Db,
    private readonly defaults: () => SettingsDefaults,
  ) {}

  committed(): ServerSettings {
    return readServerSettings(this.db, this.defaults());
  }

  pending(): StoredPendingChange | null {
    return readPending(this.db);
  }

  lastRevert(): StoredRevert | null {
    return readLastRevert(this.db);
  }

  /**
   * Each write below is a newer change than the last revert: its explanation goes with it, or the page
   * would go on saying "the last change was undone" under a change that was kept.
   */
  writeCommitted(settings: ServerSettings): void {
    this.db.transaction(() => {
      writeServerSettings(this.db, settings);
      clearLastRevert(this.db);
    })();
  }

  propose(pending: StoredPendingChange): void {
    this.db.transaction(() => {
      writePending(this.db, pending);
      clearLastRevert(this.db);
    })();
  }

  commit(pending: StoredPendingChange): void {
    this.db.transaction(() => {
      writeServerSettings(this.db, pending.settings);
      clearPending(this.db);
      clearLastRevert(this.db);
    })();
  }

  /** Drops the pending change and says why; `alongside` (the audit entry) lands in the same transaction. */
  revert(revert: StoredRevert, alongside: () => void = () => undefined): void {
    this.db.transaction(() => {
      clearPending(this.db);
      writeLastRevert(this.db, revert);
      alongside();
    })();
  }

  fingerprint(): string {
    return settingsFingerprint(this.db);
  }
}
