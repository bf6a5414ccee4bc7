import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { InputAttributes, OpenMode, SFTPWrapper, Stats } from 'ssh2';
import { AppError } from '../errors.js';
import type { WrittenFile } from './transport.js';

/** SFTP status code for "no such file" (draft-ietf-secsh-filexfer-02 §7). */
const NO_SUCH_FILE = 2;
/** Below the 32 KiB SFTP packet most servers accept, whatever ssh2 would split itself. */
const CHUNK = 30 * 1024;

/** A file to write with its owner already resolved to numeric ids on the target. */
export interface RemoteFile {
  path: string;
  data: Buffer;
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * ssh2's SFTP calls as promises, each bounded by the connection's timeout: a server that stops answering
 * ends the connection (`onStall`) instead of hanging the deployment.
 */
export class Sftp {
  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly timeoutMs: number,
    private readonly onStall: (what: string) => AppError,
  ) {}

  private call<T>(what: string, start: (done: (err: Error | undefined | null, value?: T) => void) => void) {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.onStall(what)), this.timeoutMs);
      try {
        start((err, value) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(value as T);
        });
      } catch (err) {
        // ssh2 throws at once when the server lacks an extension (posix-rename, hardlink, fsync).
        clearTimeout(timer);
        reject(err);
      }
    });
  }

  open(file: string, flags: OpenMode, attrs: InputAttributes) {
    return this.call<Buffer>(`opening ${file}`, (done) => this.sftp.open(file, flags, attrs, done));
  }
  write(handle: Buffer, data: Buffer, position: number) {
    return this.call<void>('writing', (done) =>
      this.sftp.write(handle, data, 0, data.length, position, done),
    );
  }
  fsetstat(handle: Buffer, attrs: InputAttributes) {
    return this.call<void>('setting the mode', (done) => this.sftp.fsetstat(handle, attrs, done));
  }
  fstat(handle: Buffer) {
    return this.call<Stats>('reading the mode', (done) => this.sftp.fstat(handle, done));
  }
  fsync(handle: Buffer) {
    return this.call<void>('flushing', (done) => this.sftp.ext_openssh_fsync(handle, (err) => done(err)));
  }
  close(handle: Buffer) {
    return this.call<void>('closing', (done) => this.sftp.close(handle, done));
  }
  lstat(file: string) {
    return this.call<Stats>(`reading ${file}`, (done) => this.sftp.lstat(file, done));
  }
  unlink(file: string) {
    return this.call<void>(`removing ${file}`, (done) => this.sftp.unlink(file, done));
  }
  hardlink(from: string, to: string) {
    return this.call<void>(`linking ${to}`, (done) => this.sftp.ext_openssh_hardlink(from, to, done));
  }
  /** Atomic replace (rename(2)); plain SFTP rename refuses an existing target. */
  rename(from: string, to: string) {
    return this.call<void>(`renaming to ${to}`, (done) => this.sftp.ext_openssh_rename(from, to, done));
  }
  readFile(file: string) {
    return this.call<Buffer>(`reading ${file}`, (done) => this.sftp.readFile(file, done));
  }
  end() {
    this.sftp.end();
  }
}

function isMissing(err: unknown): boolean {
  return (err as { code?: unknown })?.code === NO_SUCH_FILE;
}

function reasonOf(err: unknown): string {
  if (err instanceof AppError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

async function unlinkIfThere(sftp: Sftp, file: string): Promise<void> {
  try {
    await sftp.unlink(file);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
}

/** Writes, flushes and closes one file under a temporary name beside `file.path`; returns that name. */
async function writeTemp(sftp: Sftp, file: RemoteFile): Promise<string> {
  const temp = path.posix.join(
    path.posix.dirname(file.path),
    `.${path.posix.basename(file.path)}.certdesk-tmp-${randomBytes(6).toString('hex')}`,
  );
  // 'wx': never write through a file (or symlink) someone placed at the temporary name.
  const handle = await sftp.open(temp, 'wx', { mode: 0o600 }).catch((err) => {
    throw isMissing(err)
      ? new Error(`${path.posix.dirname(file.path)} does not exist or is not a directory`)
      : err;
  });
  try {
    for (let at = 0; at < file.data.length; at += CHUNK) {
      await sftp.write(handle, file.data.subarray(at, at + CHUNK), at);
    }
    // Mode and owner after the content, on the handle: the server's umask does not apply to setstat.
    if (file.uid !== undefined || file.gid !== undefined) {
      const now = await sftp.fstat(handle);
      await sftp.fsetstat(handle, { uid: file.uid ?? now.uid, gid: file.gid ?? now.gid });
    }
    await sftp.fsetstat(handle, { mode: file.mode });
    await sftp.fsync(handle).catch((err) => {
      // Servers without fsync@openssh.com still close the file; the rename stays atomic either way.
      if (!String(reasonOf(err)).includes('does not support')) throw err;
    });
  } catch (err) {
    await sftp.close(handle).catch(() => undefined);
    await unlinkIfThere(sftp, temp).catch(() => undefined);
    throw err;
  }
  await sftp.close(handle);
  return temp;
}

/**
 * Keeps the current content at `<path>.certdesk-previous`: a hard link to the same inode (mode and owner
 * stay as they were), or a copy when the server cannot link. Returns null when there was no file.
 */
async function keepPrevious(sftp: Sftp, file: string): Promise<string | null> {
  let stats: Stats;
  try {
    stats = await sftp.lstat(file);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  if (stats.isDirectory()) throw new Error(`${file} is a directory`);
  const previous = `${file}.certdesk-previous`;
  await unlinkIfThere(sftp, previous);
  try {
    await sftp.hardlink(file, previous);
  } catch {
    const data = await sftp.readFile(file);
    const handle = await sftp.open(previous, 'wx', { mode: 0o600 });
    try {
      for (let at = 0; at < data.length; at += CHUNK) {
        await sftp.write(handle, data.subarray(at, at + CHUNK), at);
      }
      await sftp.fsetstat(handle, { uid: stats.uid, gid: stats.gid }).catch(() => undefined);
      await sftp.fsetstat(handle, { mode: stats.mode & 0o7777 });
    } finally {
      await sftp.close(handle);
    }
  }
  return previous;
}

function writeFailed(file: string, err: unknown, restoreError?: unknown): AppError {
  const reason = reasonOf(err);
  if (restoreError !== undefined) {
    return new AppError(
      'DEPLOY_RESTORE_FAILED',
      `Writing ${file} failed (${reason}), and putting back the files already replaced failed too: ${reasonOf(restoreError)}`,
      { path: file, reason },
    );
  }
  return new AppError(
    'DEPLOY_WRITE_FAILED',
    `${file} could not be written: ${reason}. The files already replaced were put back.`,
    { path: file, reason },
  );
}

/**
 * Every temporary file is written first, so a full disk or a missing directory leaves the target exactly
 * as it was; only then are they swapped in one after the other, and a failed swap puts back the ones
 * already swapped.
 */
export async function writeRemoteFiles(sftp: Sftp, files: RemoteFile[]): Promise<WrittenFile[]> {
  const temps: string[] = [];
  for (const file of files) {
    try {
      temps.push(await writeTemp(sftp, file));
    } catch (err) {
      for (const temp of temps) await unlinkIfThere(sftp, temp).catch(() => undefined);
      throw writeFailed(file.path, err);
    }
  }
  const written: WrittenFile[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const previousPath = await keepPrevious(sftp, file.path);
      await sftp.rename(temps[i] as string, file.path);
      written.push({ path: file.path, previousPath });
    } catch (err) {
      for (const temp of temps.slice(i)) await unlinkIfThere(sftp, temp).catch(() => undefined);
      try {
        await restoreRemoteFiles(sftp, written);
      } catch (restoreError) {
        throw writeFailed(file.path, err, restoreError);
      }
      throw writeFailed(file.path, err);
    }
  }
  return written;
}

/** Puts every file back (last replaced first), trying all of them before reporting what failed. */
export async function restoreRemoteFiles(sftp: Sftp, written: WrittenFile[]): Promise<void> {
  const failures: string[] = [];
  for (const file of [...written].reverse()) {
    try {
      if (file.previousPath) await sftp.rename(file.previousPath, file.path);
      else await unlinkIfThere(sftp, file.path);
    } catch (err) {
      failures.push(`${file.path}: ${reasonOf(err)}`);
    }
  }
  if (failures.length > 0) {
    throw new AppError(
      'DEPLOY_RESTORE_FAILED',
      `These files could not be put back: ${failures.join('; ')}. Check them by hand.`,
      { failures },
    );
  }
}
