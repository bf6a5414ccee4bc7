import Database from 'better-sqlite3';
import { prepareDataDir, restrictDataFiles } from './data-dir.js';
import { migrations } from './migrations.js';

export type Db = Database.Database;

/** Opens (creating if needed) the SQLite file in WAL mode and applies pending migrations. */
export function openDatabase(dataDir: string): Db {
  const db = new Database(prepareDataDir(dataDir));
  db.pragma('journal_mode = WAL');
  restrictDataFiles(dataDir);
  // NORMAL in WAL mode: a commit survives a process crash (kill -9) and the file never corrupts; only a
  // power loss can undo the last commits. FULL would fsync on the event loop at every commit (5-30 ms here).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current + 1; version <= migrations.length; version++) {
    const migration = migrations[version - 1]!;
    db.transaction(() => {
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
