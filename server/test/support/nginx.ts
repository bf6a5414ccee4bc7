import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchServedCertificate } from '../../src/deploy/tls-verify.js';
import { freePort } from './ports.js';

/**
 * A real nginx (the Debian package) on a free loopback port, serving TLS from files a test (or a
 * deployment) puts in place. It runs in the foreground (daemon off) as our child, so `stop()` ends it by
 * its PID; its own pid file serves `nginx -s reload`, which the tests declare as a deploy hook.
 */

export const NGINX = '/usr/sbin/nginx';

export interface NginxOptions {
  certFile: string;
  keyFile: string;
}

export class TestNginx {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-nginx-'));
  readonly conf = path.join(this.dir, 'nginx.conf');
  readonly errorLog = path.join(this.dir, 'error.log');
  port = 0;
  private child: ChildProcess | null = null;

  constructor(private readonly opts: NginxOptions) {}

  /** argv of `nginx -s reload` for this instance (a deploy hook's command). */
  reloadArgv(): string[] {
    return [NGINX, '-p', this.dir, '-c', this.conf, '-e', this.errorLog, '-s', 'reload'];
  }

  /** `nginx -t` then reload, through /bin/sh with the paths as arguments (no interpolation). */
  checkedReloadArgv(): string[] {
    return [
      '/bin/sh',
      '-c',
      '"$0" -t -p "$1" -c "$2" -e "$3" && "$0" -p "$1" -c "$2" -e "$3" -s reload',
      NGINX,
      this.dir,
      this.conf,
      this.errorLog,
    ];
  }

  async start(): Promise<void> {
    this.port = await freePort();
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(this.dir, d));
    fs.writeFileSync(
      this.conf,
      [
        'daemon off;',
        'master_process on;',
        'worker_processes 1;',
        `pid ${this.dir}/nginx.pid;`,
        `error_log ${this.errorLog} warn;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (d) => `  ${d === 'body' ? 'client_body' : d}_temp_path ${this.dir}/${d};`,
        ),
        '  server {',
        `    listen 127.0.0.1:${this.port} ssl;`,
        '    server_name web.test;',
        `    ssl_certificate ${this.opts.certFile};`,
        `    ssl_certificate_key ${this.opts.keyFile};`,
        '    location / { return 200 "ok\\n"; }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn(NGINX, ['-p', this.dir, '-c', this.conf, '-e', this.errorLog], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}${this.log()}`);
      const served = await fetchServedCertificate({ host: '127.0.0.1', port: this.port }, 1000);
      if (served.ok && fs.existsSync(path.join(this.dir, 'nginx.pid'))) return;
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  log(): string {
    return fs.existsSync(this.errorLog) ? fs.readFileSync(this.errorLog, 'utf8') : '';
  }

  /** The SHA-256 of the certificate nginx serves now (upper-case hex), or the error. */
  async servedFingerprint(): Promise<string> {
    const served = await fetchServedCertificate(
      { host: '127.0.0.1', port: this.port, serverName: 'web.test' },
      3000,
    );
    return served.ok ? served.fingerprintSha256 : `error: ${served.error}`;
  }

  /**
   * Waits (up to 3 s) for `expected` to be served and returns what was served last. After a reload the
   * old workers may still take a connection or two while they shut down, so one handshake can see the
   * previous certificate after the deployment's own check saw the new one.
   */
  async settledFingerprint(expected: string): Promise<string> {
    let seen = '';
    for (let i = 0; i < 30; i++) {
      seen = await this.servedFingerprint();
      if (seen === expected) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
    return seen;
  }

  /** The worker processes of this nginx: children of its master, from /proc. */
  private workers(): number[] {
    const master = this.child?.pid;
    if (!master) return [];
    const found: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master) found.push(Number(entry));
      } catch {
        // a process that ended between the listing and the read
      }
    }
    return found;
  }

  /**
   * Reloads nginx by hand (SIGHUP, what `nginx -s reload` sends) and waits, up to 10 s, until `expected` is
   * served and the workers of the old configuration are gone: until then a new connection may still reach
   * an old worker and see the old certificate (a test that then checks for drift would see none).
   */
  async reloadAndSettle(expected: string): Promise<void> {
    const old = new Set(this.workers());
    process.kill(this.child!.pid!, 'SIGHUP');
    let seen = '';
    for (let i = 0; i < 100; i++) {
      const oldLeft = this.workers().filter((pid) => old.has(pid)).length;
      if (oldLeft === 0) {
        seen = await this.servedFingerprint();
        if (seen === expected) return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `nginx did not settle on ${expected} after its reload (last seen: ${seen || 'old workers'})`,
    );
  }

  /** Stops the master by PID (SIGTERM, SIGKILL after 5 s) and removes the directory. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
