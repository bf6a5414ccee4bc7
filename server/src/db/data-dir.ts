import fs from 'node:fs';
import path from 'node:path';

/**
 * The data directory holds password hashes, session and CSRF tokens, the audit trail and the KEK: only
 * the service's own user may read it. SQLite creates its files 0644 (less the umask) and gives -wal and
 * -shm the main file's mode, so the database file is created 0600 before SQLite ever opens it.
 */

export const DB_FILE = 'certdesk.db';
const SECRET_FILES = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}-journal`, 'kek.key'];

/** Narrows a file to its owner's permissions; a file that does not exist yet is left alone. */
function ownerOnly(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (mode & 0o077) fs.chmodSync(file, mode & 0o700);
}

/**
 * Creates the directory 0700 if it is missing, narrows the files certdesk keeps there to 0600 (a copy
 * made by an older version may be 0644), and creates the database file 0600 if it is new.
 */
export function prepareDataDir(dataDir: string): string {
  if (!fs.existsSync(dataDir)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
  }
  for (const name of SECRET_FILES) ownerOnly(path.join(dataDir, name));
  const dbFile = path.join(dataDir, DB_FILE);
  fs.closeSync(fs.openSync(dbFile, 'a', 0o600));
  return dbFile;
}

/** After SQLite opened the database: the -wal and -shm it created must be 0600 as well. */
export function restrictDataFiles(dataDir: string): void {
  for (const name of SECRET_FILES) ownerOnly(path.join(dataDir, name));
}

/** A sentence for the start-up log when others can enter or read the data directory; null when it is 0700. */
export function dataDirPermissionWarning(dataDir: string): { message: string; mode: string } | null {
  const mode = fs.statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  const octal = mode.toString(8).padStart(4, '0');
  return {
    mode: octal,
    message: `The data directory ${dataDir} is open to other users (mode ${octal}); it holds password hashes, session tokens and the key-encryption key. Run: chmod 700 ${dataDir}`,
  };
}
