import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

/**
 * A real OpenSSH server (Debian `openssh-server`) on 127.0.0.1 and a free port, with its own host key and
 * one authorised client key, all in a temporary directory. The caller stops it in an after() hook.
 */
export interface TestSshd {
  host: string;
  port: number;
  /** sshd's own pid (its sessions are its children), for CPU accounting in the bench. */
  pid: number;
  /** The user the test runs as: sshd lets the client in as this user. */
  username: string;
  /** OpenSSH-format ed25519 private key text of the authorised client. */
  clientKey: string;
  /** Path of that key, for the `ssh`/`scp` CLI. */
  clientKeyPath: string;
  /** As `ssh-keygen -l -E sha256` prints it: `SHA256:<base64 without padding>`. */
  hostKeySha256: string;
  /** `[127.0.0.1]:port ssh-ed25519 AAAA…`, a known_hosts line for the CLI. */
  knownHostsLine: string;
  /** A scratch directory (inside the temp dir) the tests may write to. */
  dir: string;
  /** sshd's own log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

function keygen(args: string[]): string {
  return execFileSync('ssh-keygen', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** A new ed25519 key pair (no passphrase) at `file` / `file.pub`. */
export function makeSshKey(file: string, type: 'ed25519' | 'rsa-pem' = 'ed25519'): string {
  const args = type === 'ed25519' ? ['-t', 'ed25519'] : ['-t', 'rsa', '-b', '2048', '-m', 'PEM'];
  keygen([...args, '-N', '', '-q', '-C', 'certdesk-test', '-f', file]);
  return fs.readFileSync(file, 'utf8');
}

/** The fingerprint `ssh-keygen -l -E sha256` prints for a public key file. */
export function fingerprintOf(pubFile: string): string {
  const field = keygen(['-l', '-E', 'sha256', '-f', pubFile]).split(' ')[1];
  if (!field?.startsWith('SHA256:'))
    throw new Error(`ssh-keygen printed no SHA256 fingerprint for ${pubFile}`);
  return field;
}

/** True once something answers with an SSH banner (a bare accept could be another process's port). */
function answersSsh(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
}

export async function startSshd(): Promise<TestSshd> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-sshd-'));
  const file = (name: string) => path.join(tmp, name);
  const dir = file('files');
  fs.mkdirSync(dir);
  makeSshKey(file('host_ed25519'));
  const clientKey = makeSshKey(file('client_ed25519'));
  fs.copyFileSync(file('client_ed25519.pub'), file('authorized_keys'));
  // As root, sshd refuses to start without its privilege-separation directory.
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${file('host_ed25519')}`,
    `PidFile ${file('sshd.pid')}`,
    `AuthorizedKeysFile ${file('authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    // The bench opens 20 connections at once; the default (10:30:100) drops some before authentication.
    'MaxStartups 100:30:200',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
  ].join('\n');
  fs.writeFileSync(file('sshd_config'), `${config}\n`);

  const child: ChildProcess = spawn(SSHD, ['-D', '-f', file('sshd_config'), '-E', file('sshd.log')], {
    stdio: 'ignore',
  });
  const log = () => (fs.existsSync(file('sshd.log')) ? fs.readFileSync(file('sshd.log'), 'utf8') : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    if (child.exitCode !== null) break;
    ready = await answersSsh(port);
    if (!ready) await sleep(100);
  }
  if (!ready) {
    const why = log();
    await stop();
    throw new Error(`sshd did not start on port ${port}:\n${why}`);
  }

  const publicKey = fs.readFileSync(file('host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return {
    host: '127.0.0.1',
    port,
    pid: child.pid as number,
    username: os.userInfo().username,
    clientKey,
    clientKeyPath: file('client_ed25519'),
    hostKeySha256: fingerprintOf(file('host_ed25519.pub')),
    knownHostsLine: `[127.0.0.1]:${port} ${publicKey}`,
    dir,
    log,
    stop,
  };
}
