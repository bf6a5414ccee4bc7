/**
 * HTTPS mode against nginx serving the same RSA-2048 certificate and chain, same machine, same clients:
 *  - full TLS handshakes per second (a new connection each, no resumption; tls-client.mjs),
 *  - keep-alive requests per second on /api/health (wrk -t1 -c20 -d10s),
 *  - failed requests while the certificate is swapped 50 times (PUT + confirm) under load (target 0).
 * Both servers run as their own processes (certdesk: server/src/server.ts; nginx: one worker, non-daemon).
 * Run from the repository root: node --conditions=source --import tsx server/bench/tls.bench.ts
 * Writes bench/results/tls.md.
 */
import { type ChildProcess, execFile, fork, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { openDatabase } from '../src/db/open.js';
import { CertificateStore } from '../src/store/certificates.js';
import { KeyEncryption } from '../src/store/key-encryption.js';
import { PrivateKeyStore } from '../src/store/private-keys.js';
import { TLS12_SUITES, TLS13_SUITES } from '../src/tls/options.js';
import { request, TlsPki } from '../test/support/tls-seed.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLIENT = path.join(import.meta.dirname, 'tls-client.mjs');
const PASSWORD = 'bench password for tls';
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 2000);
const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 10);
const SWAPS = 50;
const run = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-tls-'));
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on port ${port}`);
}

async function handshakesPerSecond(port: number, caFile: string): Promise<{ rate: number; failed: number }> {
  const { stdout } = await run(
    process.execPath,
    [CLIENT, 'handshakes', '127.0.0.1', String(port), 'localhost', caFile, String(HANDSHAKES), '10'],
    {
      timeout: 300_000,
    },
  );
  const r = JSON.parse(stdout) as { done: number; failed: number; seconds: number; errors: string[] };
  if (r.failed) console.warn(`handshake errors on ${port}:`, r.errors);
  return { rate: r.done / r.seconds, failed: r.failed };
}

async function wrk(port: number, seconds: number): Promise<{ rps: number; errors: number; raw: string }> {
  const { stdout } = await run(
    'wrk',
    ['-t1', '-c20', `-d${seconds}s`, `https://localhost:${port}/api/health`],
    { timeout: (seconds + 30) * 1000 },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const errors = (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + non2xx;
  return { rps, errors, raw: stdout };
}

function startNginx(port: number, certFile: string, keyFile: string): ChildProcess {
  const prefix = path.join(work, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const conf = `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ${TLS12_SUITES.join(':')};
    ssl_conf_command Ciphersuites ${TLS13_SUITES.join(':')};
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    keepalive_timeout 10s;
    location = /api/health { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
`;
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const child = spawn(
    '/usr/sbin/nginx',
    ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', '/dev/stderr'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  children.push(child);
  return child;
}

async function main(): Promise<void> {
  const pki = new TlsPki();
  const leafA = pki.leaf(['localhost']);
  const leafB = pki.leaf(['localhost']);
  const caFile = path.join(work, 'root.pem');
  fs.writeFileSync(caFile, pki.root.certPem);
  const fullchain = path.join(work, 'fullchain.pem');
  fs.writeFileSync(fullchain, leafA.certPem + pki.intermediate.certPem);
  const keyFile = path.join(work, 'leaf.key');
  fs.writeFileSync(keyFile, leafA.keyPem, { mode: 0o600 });

  // Seed the two RSA-2048 certificates exactly as an import stores them, before the server starts.
  const dataDir = path.join(work, 'data');
  const db = openDatabase(dataDir);
  const keys = new PrivateKeyStore(db, KeyEncryption.open(dataDir));
  const certs = new CertificateStore(db);
  const [idA, idB] = db.transaction(() =>
    [leafA, leafB].map((l) =>
      certs.insert({
        cert: l.cert,
        chain: [pki.intermediate.cert],
        keyId: keys.insert(crypto.createPrivateKey(l.keyPem)),
      }),
    ),
  )() as [number, number];
  db.close();

  const [httpPort, httpsPort, nginxPort] = [await freePort(), await freePort(), await freePort()];
  const server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'server/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      CERTDESK_DATA_DIR: dataDir,
      CERTDESK_HTTP_PORT: String(httpPort),
      CERTDESK_HTTPS_PORT: String(httpsPort),
      CERTDESK_ADMIN_PASSWORD: PASSWORD,
      CERTDESK_HTTPS_CONFIRM_SECONDS: '300',
      CERTDESK_LOG_LEVEL: 'warn',
      CERTDESK_WEB_DIST: '/nonexistent',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(server);
  await waitForPort(httpPort);

  const loginRes = await request(`http://localhost:${httpPort}/api/auth/login`, {
    method: 'POST',
    body: { username: 'admin', password: PASSWORD },
  });
  const cookie = String(loginRes.headers['set-cookie']?.[0]).split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': (JSON.parse(loginRes.body) as { csrfToken: string }).csrfToken };
  const https = (p: string, method: string, body?: unknown) =>
    request(`https://localhost:${httpsPort}${p}`, {
      method,
      body,
      headers,
      ca: pki.root.certPem,
      servername: 'localhost',
    });
  const put = await request(`http://localhost:${httpPort}/api/settings/server`, {
    method: 'PUT',
    headers,
    body: { httpsEnabled: true, activeCertificateId: idA, serverNames: ['localhost'] },
  });
  if (put.status !== 202) throw new Error(`enable HTTPS: ${put.status} ${put.body}`);
  const confirmed = await https('/api/settings/server/confirm', 'POST');
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.body}`);

  startNginx(nginxPort, fullchain, keyFile);
  await waitForPort(nginxPort);

  console.log('handshakes: nginx…');
  const hsNginx = await handshakesPerSecond(nginxPort, caFile);
  console.log('handshakes: certdesk…');
  const hsCertdesk = await handshakesPerSecond(httpsPort, caFile);
  console.log('keep-alive: nginx…');
  const kaNginx = await wrk(nginxPort, WRK_SECONDS);
  console.log('keep-alive: certdesk…');
  const kaCertdesk = await wrk(httpsPort, WRK_SECONDS);

  // Swap the certificate 50 times (PUT → 202, confirm over HTTPS → 200) under keep-alive and new-connection load.
  console.log(`swapping the certificate ${SWAPS} times under load…`);
  const loader = fork(CLIENT, ['requests', '127.0.0.1', String(httpsPort), 'localhost', caFile, '4'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(loader);
  await new Promise((r) => loader.once('message', r));
  // wrk runs until this script stops it (SIGINT to its own pid makes it print its summary).
  const wrkChild = spawn('wrk', ['-t1', '-c20', '-d3600s', `https://localhost:${httpsPort}/api/health`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(wrkChild);
  let wrkOut = '';
  wrkChild.stdout!.on('data', (c) => (wrkOut += c));
  const wrkDuring = new Promise<{ raw: string }>((r) => wrkChild.once('close', () => r({ raw: wrkOut })));
  await sleep(500);
  let swapErrors = 0;
  const swapsStart = Date.now();
  for (let i = 0; i < SWAPS; i++) {
    const r1 = await https('/api/settings/server', 'PUT', { activeCertificateId: i % 2 === 0 ? idB : idA });
    const r2 = await https('/api/settings/server/confirm', 'POST');
    if (r1.status !== 202 || r2.status !== 200) swapErrors++;
  }
  const swapSeconds = (Date.now() - swapsStart) / 1000;
  const loaderResult = new Promise<{ done: number; failed: number; errors: string[] }>((r) =>
    loader.once('message', (m) => r(m as never)),
  );
  loader.send('stop');
  wrkChild.kill('SIGINT');
  const during = await wrkDuring;
  const duringStats = {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(during.raw)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(during.raw)?.[1] ?? 0),
    errors:
      (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
        .exec(during.raw)
        ?.slice(1)
        .reduce((a, b) => a + Number(b), 0) ?? 0) +
      Number(/Non-2xx or 3xx responses: (\d+)/.exec(during.raw)?.[1] ?? 0),
  };
  const fresh = await loaderResult;
  const served = await request(`https://localhost:${httpsPort}/api/health`, {
    ca: pki.root.certPem,
    servername: 'localhost',
  });
  const expectedLast = SWAPS % 2 === 0 ? leafA : leafB;
  const lastOk =
    served.thumbprint === crypto.createHash('sha1').update(expectedLast.cert.raw).digest('hex').toUpperCase();

  const failedTotal = swapErrors + duringStats.errors + fresh.failed;
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const lines = [
    '# TLS: certdesk HTTPS mode vs nginx (same RSA-2048 certificate + chain, same clients)',
    '',
    `Handshakes: certdesk ${hsCertdesk.rate.toFixed(0)}/s vs nginx ${hsNginx.rate.toFixed(0)}/s (ratio ${ratio(hsCertdesk.rate, hsNginx.rate)}); keep-alive: ${ratio(kaCertdesk.rps, kaNginx.rps)}× nginx; ${failedTotal} failed requests during ${SWAPS} certificate swaps under load (target 0).`,
    '',
    '| measure | certdesk | nginx | certdesk / nginx |',
    '|---|---:|---:|---:|',
    `| full TLS handshakes/s (new connection each, ${HANDSHAKES} × 10 concurrent, Node client) | ${hsCertdesk.rate.toFixed(0)} | ${hsNginx.rate.toFixed(0)} | ${ratio(hsCertdesk.rate, hsNginx.rate)} |`,
    `| keep-alive requests/s on /api/health (wrk -t1 -c20 -d${WRK_SECONDS}s) | ${kaCertdesk.rps.toFixed(0)} | ${kaNginx.rps.toFixed(0)} | ${ratio(kaCertdesk.rps, kaNginx.rps)} |`,
    `| handshake / wrk errors | ${hsCertdesk.failed} / ${kaCertdesk.errors} | ${hsNginx.failed} / ${kaNginx.errors} | |`,
    '',
    `## ${SWAPS} certificate swaps under load`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| swaps (PUT 202 + confirm 200 over HTTPS), failed | ${SWAPS}, ${swapErrors} |`,
    `| time for all swaps | ${swapSeconds.toFixed(1)} s |`,
    `| keep-alive load during swaps (wrk -c20): requests, errors | ${duringStats.requests}, ${duringStats.errors} |`,
    `| new-connection load during swaps (4 concurrent): requests ok, failed | ${fresh.done}, ${fresh.failed} |`,
    `| **failed requests in total** | **${failedTotal}** |`,
    `| new connections serve the last swapped certificate | ${lastOk ? 'yes' : 'NO'} |`,
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${(await run('/usr/sbin/nginx', ['-v']).catch((e) => e)).stderr?.trim() ?? 'nginx'}; nginx 1 worker, certdesk 1 process. Both use TLS 1.3 by default with the same cipher and curve lists.`,
    fresh.errors.length ? `First errors of the new-connection load: ${fresh.errors.join('; ')}` : '',
  ];
  const out = path.join(ROOT, 'bench/results/tls.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${lines.join('\n').trimEnd()}\n`);
  console.log(lines.join('\n'));
}

try {
  await main();
} finally {
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGTERM');
  await sleep(300);
  fs.rmSync(work, { recursive: true, force: true });
}
