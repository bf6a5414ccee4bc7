import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.js';
import { checkLocalPath } from './path-policy.js';
import type { DeployTransport, FileToWrite, HookResult, WrittenFile } from './transport.js';

/**
 * Deployment on this machine. Each file is written to a new temporary name in its own directory (O_EXCL,
 * permissions and owner set before any byte of a key lands), flushed, renamed over the old one, and the
 * directory flushed, so a crash leaves either the old file or the new one. The old file stays as a hard
 * link at `<path>.certdesk-previous` (same inode: same owner, mode and bytes) for the rollback.
 */

const PREVIOUS = '.certdesk-previous';
export const HOOK_OUTPUT_TAIL_BYTES = 4096;
const KILL_GRACE_MS = 2000;
const run = promisify(execFile);

function tempName(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.certdesk-${crypto.randomBytes(6).toString('hex')}.tmp`,
  );
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A second name for `from` (same inode); a copy with the same owner and mode where links are refused. */
function copyOrLink(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
    const st = fs.statSync(from);
    fs.chownSync(to, st.uid, st.gid);
    fs.chmodSync(to, st.mode & 0o7777);
    const fd = fs.openSync(to, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * rename(2) does nothing when both names are already links to one inode (after a restore, the file and
 * its previous copy are): the temporary name would stay behind, so it is removed.
 */
function swapIn(tmp: string, dest: string): void {
  fs.renameSync(tmp, dest);
  fs.rmSync(tmp, { force: true });
}

/** User or group name → numeric id through the system's name service (getent: /etc/passwd, LDAP, ...). */
async function lookupId(db: 'passwd' | 'group', name: string): Promise<number> {
  if (/^\d+$/.test(name)) return Number(name);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(name)) {
    throw new AppError(
      'DEPLOY_WRITE_FAILED',
      `"${name}" is not a valid ${db === 'passwd' ? 'user' : 'group'} name.`,
    );
  }
  try {
    const { stdout } = await run('getent', [db, name], { timeout: 5000 });
    const id = Number(stdout.split(':')[2]);
    if (Number.isInteger(id)) return id;
  } catch {
    // not found: getent exits 2
  }
  throw new AppError(
    'DEPLOY_WRITE_FAILED',
    `There is no ${db === 'passwd' ? 'user' : 'group'} named "${name}" on this server.`,
  );
}

/** Keeps the last `max` bytes of what a hook printed. */
export class OutputTail {
  private buf = Buffer.alloc(0);
  constructor(private readonly max = HOOK_OUTPUT_TAIL_BYTES) {}
  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.buf.length > this.max) this.buf = this.buf.subarray(this.buf.length - this.max);
  }
  toString(): string {
    return this.buf.toString('utf8');
  }
}

export class LocalTransport implements DeployTransport {
  readonly description = 'this server';

  constructor(private readonly roots: string[]) {}

  async writeFiles(files: FileToWrite[]): Promise<WrittenFile[]> {
    const written: WrittenFile[] = [];
    try {
      for (const file of files) written.push(await this.writeOne(file));
    } catch (err) {
      await this.restore(written);
      if (err instanceof AppError) throw err;
      const e = err as NodeJS.ErrnoException;
      const failed = files[written.length]?.path ?? '';
      throw new AppError('DEPLOY_WRITE_FAILED', `${failed}: ${e.code ?? ''} ${e.message}`.trim(), {
        path: failed,
      });
    }
    return written;
  }

  private async writeOne(file: FileToWrite): Promise<WrittenFile> {
    checkLocalPath(file.path, this.roots, { requireParent: true });
    const existing = fs.lstatSync(file.path, { throwIfNoEntry: false });
    if (existing?.isDirectory()) {
      throw new AppError('DEPLOY_WRITE_FAILED', `${file.path} is a directory.`, { path: file.path });
    }
    const uid = file.owner ? await lookupId('passwd', file.owner) : -1;
    const gid = file.group ? await lookupId('group', file.group) : -1;
    const dir = path.dirname(file.path);
    const tmp = tempName(file.path);
    // 0o600 at creation whatever the umask; the final mode comes before the data, so a key is never
    // readable by anyone the target did not name, even for a moment.
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    try {
      if (uid !== -1 || gid !== -1) fs.fchownSync(fd, uid, gid);
      fs.fchmodSync(fd, file.mode);
      fs.writeFileSync(fd, file.data);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    let previousPath: string | null = null;
    try {
      if (existing) {
        previousPath = `${file.path}${PREVIOUS}`;
        this.keepPrevious(file.path, previousPath);
      }
      fs.renameSync(tmp, file.path);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fsyncDir(dir);
    return { path: file.path, previousPath };
  }

  /** `<path>.certdesk-previous` becomes the current file's inode (a copy where hard links are refused). */
  private keepPrevious(current: string, previous: string): void {
    const tmp = tempName(current);
    copyOrLink(current, tmp);
    swapIn(tmp, previous);
  }

  async restore(written: WrittenFile[]): Promise<void> {
    const errors: string[] = [];
    for (const w of [...written].reverse()) {
      try {
        if (w.previousPath) {
          // The previous copy stays where it is: link it to a temporary name, then swap it in atomically.
          const tmp = tempName(w.path);
          copyOrLink(w.previousPath, tmp);
          swapIn(tmp, w.path);
        } else {
          fs.rmSync(w.path, { force: true });
        }
        fsyncDir(path.dirname(w.path));
      } catch (err) {
        errors.push(`${w.path}: ${(err as Error).message}`);
      }
    }
    if (errors.length > 0) {
      throw new AppError(
        'DEPLOY_WRITE_FAILED',
        `The previous files could not all be put back: ${errors.join('; ')}`,
      );
    }
  }

  runHook(argv: string[], timeoutMs: number): Promise<HookResult> {
    return runLocalHook(argv, timeoutMs);
  }

  async close(): Promise<void> {}
}

/** Runs argv without a shell in its own process group, killed whole when the time runs out. */
export function runLocalHook(argv: string[], timeoutMs: number): Promise<HookResult> {
  const tail = new OutputTail();
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const child = spawn(argv[0] as string, argv.slice(1), {
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let graceTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      graceTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);
    const finish = (exitCode: number | null, extra?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      if (extra) tail.push(Buffer.from(extra));
      resolve({ exitCode, timedOut, outputTail: tail.toString() });
    };
    child.stdout?.on('data', (c: Buffer) => tail.push(c));
    child.stderr?.on('data', (c: Buffer) => tail.push(c));
    child.once('error', (err) => finish(null, `${argv[0]}: ${err.message}\n`));
    const done = (code: number | null) => {
      if (timedOut) killGroup('SIGKILL');
      finish(code, timedOut ? `\n(killed after ${Math.round(timeoutMs / 1000)} s)\n` : undefined);
    };
    child.once('close', done);
    // A hook that starts a daemon may leave our pipes open in it: the exit code is enough after a moment.
    child.once('exit', (code) => setTimeout(() => done(code), 250).unref());
  });
}
