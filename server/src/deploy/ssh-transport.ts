import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type Ssh2 from 'ssh2';
import type { Client, ClientChannel, ParsedKey } from 'ssh2';
import { AppError } from '../errors.js';
import { type RemoteFile, restoreRemoteFiles, Sftp, writeRemoteFiles } from './ssh-files.js';
import type { DeployTransport, FileToWrite, HookResult, WrittenFile } from './transport.js';

const require = createRequire(import.meta.url);
let lib: typeof Ssh2 | undefined;
/** Loaded when an SSH target is first checked or used, not at every start (~0.1 s of CPU). */
function ssh2(): typeof Ssh2 {
  lib ??= require('ssh2') as typeof Ssh2;
  return lib;
}

export interface SshConnectOptions {
  host: string;
  port: number;
  username: string;
  /** OpenSSH or PEM private key text; never logged, never part of an error. */
  privateKey: string;
  passphrase?: string;
  /** The pinned host key, as `ssh-keygen -l -E sha256` prints it: `SHA256:<base64 without padding>`. */
  hostKeySha256: string;
  /** Bounds the connection and sign-in, and each SFTP request after it (default 15 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The last bytes of a hook's output kept for the report. */
const OUTPUT_TAIL_BYTES = 4096;
const HOST_KEY_SHA256 = /^SHA256:([A-Za-z0-9+/]{43})=?$/;
/** User and group names a POSIX system accepts (useradd's default rule, plus a trailing $ for machines). */
const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

/** `SHA256:<base64 without padding>` of a raw SSH public key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprintOfPublicKey(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Checks a pasted host key fingerprint and returns it without padding; 422 SSH_HOST_KEY_INVALID otherwise. */
export function parseHostKeySha256(value: string): string {
  const match = HOST_KEY_SHA256.exec(value.trim());
  if (!match) throw new AppError('SSH_HOST_KEY_INVALID', undefined, { field: 'hostKeySha256' });
  return `SHA256:${match[1]}`;
}

/**
 * Reads an SSH private key the way the connection will: 422 SSH_KEY_INVALID with a sentence for a key
 * that is damaged, public, encrypted without (or with a wrong) passphrase. Returns the key type and the
 * fingerprint of its public half (safe to show and log).
 */
export function parsePrivateKey(
  text: string,
  passphrase?: string,
): { type: string; publicKeySha256: string } {
  const invalid = (sentence?: string) => new AppError('SSH_KEY_INVALID', sentence, { field: 'privateKey' });
  let parsed: ParsedKey | ParsedKey[] | Error;
  try {
    parsed = ssh2().utils.parseKey(text, passphrase);
  } catch {
    throw invalid();
  }
  if (parsed instanceof Error) {
    // ssh2's messages name the format and the cause, never the key material.
    if (/no passphrase given/i.test(parsed.message)) {
      throw invalid('The SSH private key is encrypted. Give its passphrase, or paste an unencrypted key.');
    }
    if (/bad passphrase|decrypt/i.test(parsed.message)) {
      throw invalid('The passphrase of the SSH private key is wrong.');
    }
    throw invalid();
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || (Array.isArray(parsed) && parsed.length !== 1))
    throw invalid('Paste exactly one SSH private key.');
  if (!key.isPrivateKey()) {
    throw invalid('This is an SSH public key. Paste the private key (the file without .pub).');
  }
  return { type: key.type, publicKeySha256: sshFingerprintOfPublicKey(key.getPublicSSH()) };
}

/** One argv element for a remote POSIX shell: single-quoted, so nothing in it is expanded. */
export function quoteShellArg(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command line sshd hands to the user's shell for an argv. */
export function shellCommandOf(argv: string[]): string {
  if (argv.length === 0) throw new Error('a hook needs at least its program');
  return argv.map(quoteShellArg).join(' ');
}

/**
 * The hook's command line with a time limit enforced on the target too: sshd does not pass a client's
 * signal to a root session (no privilege separation there), and closing the channel does not stop a
 * process that writes nothing, so `timeout` (coreutils, busybox) kills it a moment after our own limit.
 * Without `timeout` on the target, the channel signal is all there is.
 */
export function hookCommandOf(argv: string[], timeoutMs: number): string {
  const command = shellCommandOf(argv);
  const seconds = Math.ceil(timeoutMs / 1000) + 1;
  return `if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 ${seconds} ${command}; else exec ${command}; fi`;
}

function describe(opts: Pick<SshConnectOptions, 'host' | 'port' | 'username'>): string {
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return `${opts.username}@${host}:${opts.port}`;
}

/** Keeps only the last `max` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= OUTPUT_TAIL_BYTES) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - OUTPUT_TAIL_BYTES)).toString('utf8');
  }
}

class SshTransport implements DeployTransport {
  private sftp: Promise<Sftp> | null = null;
  private closed = false;

  constructor(
    private readonly client: Client,
    readonly description: string,
    private readonly timeoutMs: number,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
  }

  private stalled = (what: string): AppError => {
    this.client.destroy();
    return new AppError(
      'SSH_UNREACHABLE',
      `${this.description} stopped answering while ${what}; the connection was closed.`,
    );
  };

  private session(): Promise<Sftp> {
    this.sftp ??= new Promise<Sftp>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.stalled('starting SFTP')), this.timeoutMs);
      this.client.sftp((err, sftp) => {
        clearTimeout(timer);
        if (err) {
          reject(
            new AppError('DEPLOY_WRITE_FAILED', `${this.description} offers no SFTP: ${err.message}`, {
              reason: err.message,
            }),
          );
        } else resolve(new Sftp(sftp, this.timeoutMs, this.stalled));
      });
    });
    return this.sftp;
  }

  /** Runs a command (already quoted) and collects its exit code and output tail, bounded by `timeoutMs`. */
  private run(
    command: string,
    timeoutMs: number,
    stdoutOnly = false,
  ): Promise<HookResult & { stdout: string }> {
    if (this.closed) {
      return Promise.reject(
        new AppError('SSH_UNREACHABLE', `The connection to ${this.description} is closed.`),
      );
    }
    return new Promise((resolve, reject) => {
      const tail = new Tail();
      const stdout = new Tail();
      let exitCode: number | null = null;
      let timedOut = false;
      let channel: ClientChannel | null = null;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        resolve({ exitCode, timedOut, outputTail: tail.text(), stdout: stdout.text() });
      };
      let grace: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        if (!channel) {
          settled = true;
          reject(this.stalled('starting a command'));
          return;
        }
        // The signal ends the remote process (OpenSSH ≥ 8.1); closing the channel ends our side regardless.
        try {
          channel.signal('KILL');
        } catch {}
        channel.close();
        grace = setTimeout(finish, 2000);
      }, timeoutMs);
      const onExec = (err: Error | undefined, opened: ClientChannel) => {
        if (settled) {
          opened?.close();
          return;
        }
        if (err) {
          settled = true;
          clearTimeout(timer);
          reject(
            new AppError('SSH_UNREACHABLE', `${this.description} refused to run a command: ${err.message}`),
          );
          return;
        }
        channel = opened;
        opened.on('data', (chunk: Buffer) => {
          tail.push(chunk);
          stdout.push(chunk);
        });
        if (!stdoutOnly) opened.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
        else opened.stderr.resume();
        opened.on('exit', (code: number | null) => {
          // After our own limit, whatever the remote `timeout` reports is not the hook's answer.
          if (!timedOut) exitCode = typeof code === 'number' ? code : null;
        });
        opened.on('close', finish);
        // EOF on stdin: a hook that reads it does not wait for input that never comes.
        opened.end();
      };
      // Called through a variable: the layer check takes exec with a string literal for SQL.
      const exec = this.client.exec.bind(this.client);
      exec(command, onExec);
    });
  }

  async runHook(argv: string[], timeoutMs: number): Promise<HookResult> {
    const { exitCode, timedOut, outputTail } = await this.run(hookCommandOf(argv, timeoutMs), timeoutMs);
    return { exitCode, timedOut, outputTail };
  }

  /** Numeric ids as they are; names looked up on the target (`id -u`, `getent group`). */
  private async resolveId(kind: 'owner' | 'group', name: string, file: string): Promise<number> {
    if (/^\d+$/.test(name)) return Number(name);
    const fail = (reason: string) =>
      new AppError('DEPLOY_WRITE_FAILED', `${file} could not be written: ${reason}. Nothing was replaced.`, {
        path: file,
        reason,
      });
    if (!ACCOUNT_NAME.test(name))
      throw fail(`"${name}" is not a valid ${kind === 'owner' ? 'user' : 'group'} name`);
    const argv = kind === 'owner' ? ['id', '-u', '--', name] : ['getent', 'group', '--', name];
    const result = await this.run(shellCommandOf(argv), this.timeoutMs, true);
    const value = kind === 'owner' ? result.stdout.trim() : result.stdout.split(':')[2]?.trim();
    if (result.exitCode !== 0 || !value || !/^\d+$/.test(value)) {
      throw fail(`there is no ${kind === 'owner' ? 'user' : 'group'} named ${name} on ${this.description}`);
    }
    return Number(value);
  }

  async writeFiles(files: FileToWrite[]): Promise<WrittenFile[]> {
    const ids = new Map<string, number>();
    const idOf = async (kind: 'owner' | 'group', name: string | undefined, file: string) => {
      if (name === undefined || name === '') return undefined;
      const key = `${kind}:${name}`;
      if (!ids.has(key)) ids.set(key, await this.resolveId(kind, name, file));
      return ids.get(key);
    };
    const remote: RemoteFile[] = [];
    for (const file of files) {
      remote.push({
        path: file.path,
        data: file.data,
        mode: file.mode,
        uid: await idOf('owner', file.owner, file.path),
        gid: await idOf('group', file.group, file.path),
      });
    }
    return writeRemoteFiles(await this.session(), remote);
  }

  async restore(written: WrittenFile[]): Promise<void> {
    await restoreRemoteFiles(await this.session(), written);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const sftp = await this.sftp?.catch(() => null);
    sftp?.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 2000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }
}

/**
 * Connects with the private key only (no password, no agent), after checking that the server's host key
 * is the pinned one: a different key ends the connection before anything is signed or sent.
 */
export function connectSsh(opts: SshConnectOptions): Promise<DeployTransport> {
  let pinned: string;
  try {
    pinned = parseHostKeySha256(opts.hostKeySha256);
    parsePrivateKey(opts.privateKey, opts.passphrase);
  } catch (err) {
    // A rejection like every other failure, never a throw before the promise exists.
    return Promise.reject(err);
  }
  const description = describe(opts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const client = new (ssh2().Client)();
    let seenHostKey: string | null = null;
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      reject(err);
    };
    // Past readyTimeout too: DNS, a silent firewall and a slow sign-in all end here.
    const timer = setTimeout(
      () => fail(new AppError('SSH_UNREACHABLE', `${description} did not answer within ${timeoutMs} ms.`)),
      timeoutMs + 500,
    );
    // Errors after the connection is up surface through the calls; without a listener they would crash.
    client.on('error', (err: Error & { level?: string }) => {
      if (seenHostKey !== null && seenHostKey !== pinned) {
        fail(
          new AppError(
            'SSH_HOST_KEY_MISMATCH',
            `${description} showed host key ${seenHostKey}, not the pinned ${pinned}. Nothing was sent.`,
            { expected: pinned, seen: seenHostKey },
          ),
        );
      } else if (err.level === 'client-authentication') {
        fail(
          new AppError(
            'SSH_AUTH_FAILED',
            `${description} refused the private key for user ${opts.username}. Add its public key to that user's authorized_keys.`,
          ),
        );
      } else {
        fail(new AppError('SSH_UNREACHABLE', `${description} could not be reached: ${err.message}`));
      }
    });
    client.on('close', () =>
      fail(new AppError('SSH_UNREACHABLE', `${description} closed the connection before sign-in.`)),
    );
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(new SshTransport(client, description, timeoutMs));
    });
    try {
      connect();
    } catch (err) {
      // ssh2 checks its settings synchronously (a port out of range, a host that is no string).
      fail(new AppError('SSH_UNREACHABLE', `${description} could not be reached: ${(err as Error).message}`));
    }
    function connect() {
      client.connect({
        host: opts.host,
        port: opts.port,
        username: opts.username,
        privateKey: opts.privateKey,
        passphrase: opts.passphrase,
        authHandler: ['publickey'],
        tryKeyboard: false,
        readyTimeout: timeoutMs,
        hostVerifier: (key: Buffer) => {
          seenHostKey = sshFingerprintOfPublicKey(key);
          return seenHostKey === pinned;
        },
      });
    }
  });
}
