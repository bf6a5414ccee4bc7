import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchServedCertificate } from '../../src/deploy/tls-verify.js';
import { NGINX } from '../../test/support/nginx.js';

/**
 * One nginx (Debian package, 1 worker, foreground, our child) with one TLS server block per target, each on
 * its own loopback port and its own certificate files: 20 "services" that a bench can deploy to without
 * starting 20 nginx masters on 2 cores. A reload of it re-reads every block's files.
 */
export interface MultiNginx {
  dir: string;
  ports: number[];
  reloadArgv: string[];
  stop(): Promise<void>;
}

export async function startMultiNginx(
  servers: { port: number; certFile: string; keyFile: string }[],
): Promise<MultiNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-nginx-'));
  const conf = path.join(dir, 'nginx.conf');
  const errorLog = path.join(dir, 'error.log');
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
  for (const d of temps) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(
    conf,
    [
      'daemon off;',
      'master_process on;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${errorLog} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...temps.map((d) => `  ${d}_temp_path ${dir}/${d};`),
      ...servers.map((s) =>
        [
          '  server {',
          `    listen 127.0.0.1:${s.port} ssl;`,
          '    server_name web.test;',
          `    ssl_certificate ${s.certFile};`,
          `    ssl_certificate_key ${s.keyFile};`,
          '    location / { return 200 "ok\\n"; }',
          '  }',
        ].join('\n'),
      ),
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf, '-e', errorLog], { stdio: 'ignore' });
  const log = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const served = await Promise.all(
      servers.map((s) => fetchServedCertificate({ host: '127.0.0.1', port: s.port }, 1000)),
    );
    if (served.every((s) => s.ok) && fs.existsSync(path.join(dir, 'nginx.pid'))) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = log();
      await stop();
      throw new Error(`nginx did not start: ${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dir,
    ports: servers.map((s) => s.port),
    reloadArgv: [NGINX, '-p', dir, '-c', conf, '-e', errorLog, '-s', 'reload'],
    stop,
  };
}
