/**
 * HTTPS mode measured on the server, not on the client (issue 15). Three servers, each the same
 * certificate and chain, each pinned to core 0 while the load generator runs pinned to core 1:
 *  - certdesk (server/src/server.ts, production log level info, one access line per request to a file),
 *  - nginx (Debian, one worker, Mozilla "intermediate" TLS settings, its default access log to a file),
 *  - a bare Fastify app on the same Node and TLS options (bare-fastify.ts: no logger, no hooks).
 * Four loads, for an RSA-2048 and an ECDSA P-256 certificate: full handshakes (a new connection each, no
 * session offered), a full handshake plus one GET per connection, resumed handshakes (each client offers
 * its last session ticket), and keep-alive requests on /api/health (wrk -t1 -c20). Each load runs on the
 * three servers in turn, in ≥ 5 rounds with the order rotated, and reports the wall-clock rate and the
 * rate per second of server CPU (from /proc/<pid>/stat: the process and its children, every thread), as
 * min / median / max over the rounds. The handshake client reuses one secure context and counts full and
 * resumed handshakes apart (tls-client.mjs). Then 50 certificate swaps under load (target: 0 failures).
 * BENCH_QUICK=1: 1 s per load, 2 rounds, 6 swaps (checks that it runs; the numbers mean nothing).
 * Run from the repository root: node --conditions=source --import tsx server/bench/tls.bench.ts
 * Writes bench/results/tls.md. Needs nginx, wrk and taskset (scripts/bench.sh installs what is missing).
 */
import { type ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/open.js';
import { CertificateStore } from '../src/store/certificates.js';
import { KeyEncryption } from '../src/store/key-encryption.js';
import { PrivateKeyStore } from '../src/store/private-keys.js';
import type { Issued as Pem } from '../test/support/pki.js';
import { request, TlsPki } from '../test/support/tls-seed.js';
import {
  CLIENT_CORE,
  cpuSeconds,
  freePort,
  parseWrk,
  run,
  SERVER_CORE,
  spawnPinned,
  stop,
  waitForPort,
} from './support/proc.js';
import { quick, range, resultFile, spread } from './support/stats.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLIENT = path.join(import.meta.dirname, 'tls-client.mjs');
const BARE = path.join(import.meta.dirname, 'bare-fastify.ts');
const PASSWORD = 'bench password for tls';
const SECONDS = Number(process.env.BENCH_TLS_SECONDS ?? (quick ? 1 : 4));
const ROUNDS = Math.max(quick ? 1 : 5, Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 5)));
/** wrk opens its 20 connections (20 full handshakes) inside the window: a longer window dilutes them. */
const KEEPALIVE_SECONDS = quick ? SECONDS : Math.max(8, SECONDS * 2);
const CONCURRENCY = 16;
const SWAPS = quick ? 6 : 50;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-tls-'));
const children: ChildProcess[] = [];
const TSX = ['--conditions=source', '--import', 'tsx'];

/** Mozilla "intermediate" (ssl-config.mozilla.org, nginx 1.22, OpenSSL 3.0). */
const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
].join(':');

type ServerName = 'certdesk' | 'nginx' | 'bare Fastify';
const SERVERS: ServerName[] = ['certdesk', 'nginx', 'bare Fastify'];
type Load = 'full handshake' | 'full handshake + GET' | 'resumed handshake' | 'keep-alive GET';
const LOADS: Load[] = ['full handshake', 'full handshake + GET', 'resumed handshake', 'keep-alive GET'];
type KeyKind = 'RSA-2048' | 'ECDSA P-256';

interface Target {
  name: ServerName;
  port: number;
  pid: number;
}

interface Sample {
  rate: number;
  perCpu: number;
  busy: number;
  full: number;
  resumed: number;
  failed: number;
  errors: string[];
}

function startNginx(port: number, certFile: string, keyFile: string): ChildProcess {
  const prefix = path.join(work, `nginx-${port}`);
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const conf = `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  # nginx closes a keep-alive connection after 1000 requests by default; Node never does.
  keepalive_requests 1000000;
  keepalive_timeout 10s;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ssl_session_timeout 1d;
    ssl_session_cache shared:MozSSL:10m;
    ssl_session_tickets off;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};
    ssl_prefer_server_ciphers off;
    location = /api/health { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
`;
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const child = spawnPinned(
    SERVER_CORE,
    '/usr/sbin/nginx',
    ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', '/dev/stderr'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  children.push(child);
  return child;
}

function startBare(port: number, certFile: string, keyFile: string): ChildProcess {
  const child = spawnPinned(SERVER_CORE, process.execPath, [...TSX, BARE, String(port), certFile, keyFile], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

async function clientRun(target: Target, args: string[], caFile: string) {
  const { stdout } = await run(
    'taskset',
    [
      '-c',
      String(CLIENT_CORE),
      process.execPath,
      CLIENT,
      args[0]!,
      '127.0.0.1',
      String(target.port),
      'localhost',
      caFile,
      ...args.slice(1),
    ],
    { timeout: (SECONDS + 60) * 1000 },
  );
  return JSON.parse(stdout) as {
    done: number;
    failed: number;
    full: number;
    resumed: number;
    seconds: number;
    errors: string[];
  };
}

async function measure(target: Target, load: Load, caFile: string): Promise<Sample> {
  const cpuBefore = cpuSeconds(target.pid);
  let done: number;
  let seconds: number;
  let extra: Pick<Sample, 'full' | 'resumed' | 'failed' | 'errors'>;
  if (load === 'keep-alive GET') {
    const { stdout } = await run(
      'taskset',
      [
        '-c',
        String(CLIENT_CORE),
        'wrk',
        '-t1',
        '-c20',
        `-d${KEEPALIVE_SECONDS}s`,
        `https://localhost:${target.port}/api/health`,
      ],
      { timeout: (SECONDS + 60) * 1000 },
    );
    const w = parseWrk(stdout);
    done = w.requests;
    seconds = w.rps > 0 ? w.requests / w.rps : KEEPALIVE_SECONDS;
    extra = { full: 0, resumed: 0, failed: w.errors, errors: [] };
  } else {
    const mode = load === 'resumed handshake' ? 'resumed' : 'full';
    const args = [
      mode,
      String(SECONDS),
      String(CONCURRENCY),
      ...(load === 'full handshake + GET' ? ['get'] : []),
    ];
    const r = await clientRun(target, args, caFile);
    done = r.done;
    seconds = r.seconds;
    extra = { full: r.full, resumed: r.resumed, failed: r.failed, errors: r.errors };
  }
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  // busy over the load's own duration: the client's start-up, when the server idles, is left out.
  return { rate: done / seconds, perCpu: cpu > 0 ? done / cpu : 0, busy: cpu / seconds, ...extra };
}

interface Certdesk {
  child: ChildProcess;
  httpPort: number;
  httpsPort: number;
  ids: Record<KeyKind, number>;
  headers: Record<string, string>;
}

async function startCertdesk(leaves: Record<KeyKind, Pem>, pki: TlsPki): Promise<Certdesk> {
  // Seed the certificates exactly as an import stores them, before the server starts.
  const dataDir = path.join(work, 'data');
  const db = openDatabase(dataDir);
  const keys = new PrivateKeyStore(db, KeyEncryption.open(dataDir));
  const certs = new CertificateStore(db);
  const ids = db.transaction(() => {
    const out = {} as Record<KeyKind, number>;
    for (const [kind, leaf] of Object.entries(leaves) as [KeyKind, Pem][]) {
      out[kind] = certs.insert({
        cert: leaf.cert,
        chain: [pki.intermediate.cert],
        keyId: keys.insert(crypto.createPrivateKey(leaf.keyPem)),
      });
    }
    return out;
  })();
  db.close();
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const log = fs.openSync(path.join(work, 'certdesk.log'), 'w');
  const child = spawnPinned(SERVER_CORE, process.execPath, [...TSX, 'server/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      CERTDESK_DATA_DIR: dataDir,
      CERTDESK_HOST: '127.0.0.1',
      CERTDESK_HTTP_PORT: String(httpPort),
      CERTDESK_HTTPS_PORT: String(httpsPort),
      CERTDESK_ADMIN_PASSWORD: PASSWORD,
      CERTDESK_HTTPS_CONFIRM_SECONDS: '300',
      CERTDESK_LOG_LEVEL: 'info',
      CERTDESK_WEB_DIST: '/nonexistent',
      CERTDESK_MAX_CONNECTIONS: '5000',
    },
    stdio: ['ignore', log, 'inherit'],
  });
  children.push(child);
  await waitForPort(httpPort, child);
  const loginRes = await request(`http://localhost:${httpPort}/api/auth/login`, {
    method: 'POST',
    body: { username: 'admin', password: PASSWORD },
  });
  const cookie = String(loginRes.headers['set-cookie']?.[0]).split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': (JSON.parse(loginRes.body) as { csrfToken: string }).csrfToken };
  const put = await request(`http://localhost:${httpPort}/api/settings/server`, {
    method: 'PUT',
    headers,
    body: { httpsEnabled: true, activeCertificateId: ids['RSA-2048'], serverNames: ['localhost'] },
  });
  if (put.status !== 202) throw new Error(`enable HTTPS: ${put.status} ${put.body}`);
  const cd: Certdesk = { child, httpPort, httpsPort, ids, headers };
  await confirm(cd, pki);
  return cd;
}

function https(cd: Certdesk, pki: TlsPki, p: string, method: string, body?: unknown) {
  return request(`https://localhost:${cd.httpsPort}${p}`, {
    method,
    body,
    headers: cd.headers,
    ca: pki.root.certPem,
    servername: 'localhost',
  });
}

async function confirm(cd: Certdesk, pki: TlsPki): Promise<void> {
  const r = await https(cd, pki, '/api/settings/server/confirm', 'POST');
  if (r.status !== 200) throw new Error(`confirm: ${r.status} ${r.body}`);
  // Confirming HTTPS moves the session to a new Secure cookie (the one set over HTTP ends).
  const fresh = [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('certdesk_session='));
  if (fresh) cd.headers.cookie = fresh.split(';')[0] as string;
}

async function serveCertdesk(cd: Certdesk, pki: TlsPki, kind: KeyKind): Promise<void> {
  const r = await https(cd, pki, '/api/settings/server', 'PUT', { activeCertificateId: cd.ids[kind] });
  if (r.status === 200) return; // already served
  if (r.status !== 202) throw new Error(`swap: ${r.status} ${r.body}`);
  await confirm(cd, pki);
}

/** 50 certificate swaps (PUT 202 + confirm 200 over HTTPS) under keep-alive and new-connection load. */
async function swapsUnderLoad(cd: Certdesk, pki: TlsPki, caFile: string) {
  const loader = fork(CLIENT, ['requests', '127.0.0.1', String(cd.httpsPort), 'localhost', caFile, '4'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(loader);
  await new Promise((r) => loader.once('message', r));
  // wrk runs until this script stops it (SIGINT makes it print its summary).
  const wrkChild = spawnPinned(
    CLIENT_CORE,
    'wrk',
    ['-t1', '-c20', '-d3600s', `https://localhost:${cd.httpsPort}/api/health`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(wrkChild);
  let wrkOut = '';
  wrkChild.stdout!.on('data', (c) => {
    wrkOut += c;
  });
  const wrkDone = new Promise<void>((r) => wrkChild.once('close', () => r()));
  await sleep(500);
  let swapErrors = 0;
  const t0 = Date.now();
  // The ECDSA certificate is served when the measurements end: the first swap goes to RSA.
  const kinds: KeyKind[] = ['RSA-2048', 'ECDSA P-256'];
  for (let i = 0; i < SWAPS; i++) {
    const r1 = await https(cd, pki, '/api/settings/server', 'PUT', {
      activeCertificateId: cd.ids[kinds[i % 2]!],
    });
    const r2 = await https(cd, pki, '/api/settings/server/confirm', 'POST');
    if (r1.status !== 202 || r2.status !== 200) swapErrors++;
  }
  const seconds = (Date.now() - t0) / 1000;
  const loaderResult = new Promise<{ done: number; failed: number; errors: string[] }>((r) =>
    loader.once('message', (m) => r(m as never)),
  );
  loader.send('stop');
  wrkChild.kill('SIGINT');
  await wrkDone;
  const during = parseWrk(wrkOut);
  const fresh = await loaderResult;
  const expected = kinds[(SWAPS - 1) % 2]!;
  const served = await request(`https://localhost:${cd.httpsPort}/api/health`, {
    ca: pki.root.certPem,
    servername: 'localhost',
  });
  return { swapErrors, seconds, during, fresh, lastKind: expected, served };
}

async function main(): Promise<void> {
  for (const tool of ['taskset', 'wrk', '/usr/sbin/nginx']) {
    await run('sh', ['-c', `command -v ${tool}`]).catch(() => {
      throw new Error(`${tool} is missing: run scripts/bench.sh (it installs nginx and wrk)`);
    });
  }
  const pki = new TlsPki();
  const leaves: Record<KeyKind, Pem> = {
    'RSA-2048': pki.leaf(['localhost'], { key: 'rsa2048' }),
    'ECDSA P-256': pki.leaf(['localhost'], { key: 'ec256' }),
  };
  const caFile = path.join(work, 'root.pem');
  fs.writeFileSync(caFile, pki.root.certPem);
  const files = {} as Record<KeyKind, { chain: string; key: string }>;
  for (const [kind, leaf] of Object.entries(leaves) as [KeyKind, Pem][]) {
    const base = path.join(work, kind.replace(/\W+/g, '-'));
    fs.writeFileSync(`${base}.fullchain.pem`, leaf.certPem + pki.intermediate.certPem);
    fs.writeFileSync(`${base}.key`, leaf.keyPem, { mode: 0o600 });
    files[kind] = { chain: `${base}.fullchain.pem`, key: `${base}.key` };
  }

  const cd = await startCertdesk(leaves, pki);
  const results = new Map<string, Sample[]>(); // `${kind}|${load}|${server}`
  const loadBefore = os.loadavg()[0] ?? 0;
  const t0 = Date.now();
  for (const kind of ['RSA-2048', 'ECDSA P-256'] as KeyKind[]) {
    await serveCertdesk(cd, pki, kind);
    const [nginxPort, barePort] = [await freePort(), await freePort()];
    const nginx = startNginx(nginxPort, files[kind].chain, files[kind].key);
    const bare = startBare(barePort, files[kind].chain, files[kind].key);
    await waitForPort(nginxPort, nginx);
    await waitForPort(barePort, bare);
    const targets: Target[] = [
      { name: 'certdesk', port: cd.httpsPort, pid: cd.child.pid! },
      { name: 'nginx', port: nginxPort, pid: nginx.pid! },
      { name: 'bare Fastify', port: barePort, pid: bare.pid! },
    ];
    // Warm-up: JIT, session caches, first handshakes.
    for (const t of targets) await measure(t, 'full handshake + GET', caFile);
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const load of LOADS) {
        for (const target of order) {
          const sample = await measure(target, load, caFile);
          const key = `${kind}|${load}|${target.name}`;
          results.set(key, [...(results.get(key) ?? []), sample]);
          console.log(
            `${kind} round ${round + 1} ${load} ${target.name}: ${sample.rate.toFixed(0)}/s, ${sample.perCpu.toFixed(0)} per CPU-s`,
          );
        }
      }
    }
    await stop(nginx);
    await stop(bare);
  }
  const seconds = (Date.now() - t0) / 1000;

  console.log(`swapping the certificate ${SWAPS} times under load…`);
  const swaps = await swapsUnderLoad(cd, pki, caFile);
  const lastOk =
    swaps.served.thumbprint ===
    crypto.createHash('sha1').update(leaves[swaps.lastKind].cert.raw).digest('hex').toUpperCase();
  await stop(cd.child);

  const get = (kind: KeyKind, load: Load, server: ServerName) =>
    results.get(`${kind}|${load}|${server}`) ?? [];
  /** certdesk ÷ reference per round (rounds are interleaved, so each ratio compares like with like). */
  const ratios = (kind: KeyKind, load: Load, ref: ServerName, field: 'perCpu' | 'rate') => {
    const a = get(kind, load, 'certdesk');
    const b = get(kind, load, ref);
    return a.map((s, i) => s[field] / (b[i]?.[field] ?? Number.NaN));
  };
  const lines = ['# TLS: certdesk HTTPS mode vs nginx and a bare Fastify app, measured on the server', ''];
  const med = (xs: number[]) => spread(xs).p50;
  const headline: string[] = [];
  for (const kind of ['RSA-2048', 'ECDSA P-256'] as KeyKind[]) {
    headline.push(
      `${kind} full handshakes per server CPU-second: ${med(ratios(kind, 'full handshake', 'nginx', 'perCpu')).toFixed(2)}× nginx`,
    );
  }
  headline.push(
    `keep-alive /api/health per server CPU-second: ${med(ratios('RSA-2048', 'keep-alive GET', 'bare Fastify', 'perCpu')).toFixed(2)}× bare Fastify (target ≥ 0.8), ${med(ratios('RSA-2048', 'keep-alive GET', 'nginx', 'perCpu')).toFixed(2)}× nginx`,
  );
  const failedTotal = swaps.swapErrors + swaps.during.errors + swaps.fresh.failed;
  headline.push(`${failedTotal} failed requests during ${SWAPS} certificate swaps under load (target 0)`);
  lines.push(`**${headline.join('; ')}.** Medians of ${ROUNDS} interleaved rounds; the spread is below.`, '');
  lines.push(
    `Run ${new Date().toISOString()}${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${(await run('/usr/sbin/nginx', ['-v']).catch((e) => e)).stderr?.trim() ?? 'nginx'}, ${(await run('wrk', ['-v']).catch((e) => e)).stdout?.split('\n')[0]?.trim() ?? 'wrk'}. ` +
      `Servers pinned to core ${SERVER_CORE}, load generator to core ${CLIENT_CORE} (taskset). ${ROUNDS} rounds × ${LOADS.length} loads × 3 servers, ${SECONDS} s per handshake load, server order rotated each round; ${seconds.toFixed(0)} s in all; ` +
      `1-minute load average ${loadBefore.toFixed(1)} before (anything but this benchmark running on the machine shows in the spread).`,
    '',
    "Rates: **wall** = per second of the load (what the client saw); **per CPU-s** = per second of CPU the server process (and its children) spent, from /proc/<pid>/stat — the server's efficiency, whatever the client could send. **busy** = server CPU ÷ wall time (1.0: the server's core was saturated; below, the client was the limit). Each cell: min / median / max over the rounds.",
    '',
    `Loads: **full handshake** — TLS 1.3, a new connection each, no session offered, closed after the handshake (tls-client.mjs, ${CONCURRENCY} concurrent, one secure context reused); **full handshake + GET** — the same plus one GET /api/health; **resumed handshake** — each client offers the last session ticket it got (certdesk and Fastify: stateless tickets; nginx: Mozilla settings, tickets off, its shared session cache); **keep-alive GET** — wrk -t1 -c20 for ${KEEPALIVE_SECONDS} s on /api/health. Full / resumed: handshakes the client counted of each kind.`,
    '',
    "Servers: certdesk at log level info (one access line per request, to a file); nginx 1 worker, Mozilla intermediate, access log to a file (unbuffered, its default), keepalive_requests raised (nginx closes keep-alive connections after 1000 requests by default, Node never does); bare Fastify: no logger, certdesk's TLS options.",
    '',
  );
  for (const kind of ['RSA-2048', 'ECDSA P-256'] as KeyKind[]) {
    lines.push(
      `## ${kind}`,
      '',
      '| load | server | wall /s | per CPU-s | busy | full / resumed | failed |',
      '|---|---|---:|---:|---:|---:|---:|',
    );
    for (const load of LOADS) {
      for (const server of SERVERS) {
        const ss = get(kind, load, server);
        const sum = (f: (s: Sample) => number) => ss.reduce((a, s) => a + f(s), 0);
        lines.push(
          `| ${load} | ${server} | ${range(ss.map((s) => s.rate))} | ${range(ss.map((s) => s.perCpu))} | ${med(ss.map((s) => s.busy)).toFixed(2)} | ${load === 'keep-alive GET' ? '—' : `${sum((s) => s.full)} / ${sum((s) => s.resumed)}`} | ${sum((s) => s.failed)} |`,
        );
      }
    }
    lines.push(
      '',
      '| load | certdesk ÷ nginx per CPU-s | certdesk ÷ bare Fastify per CPU-s | certdesk ÷ nginx wall |',
      '|---|---:|---:|---:|',
    );
    for (const load of LOADS) {
      lines.push(
        `| ${load} | ${range(ratios(kind, load, 'nginx', 'perCpu'), 2)} | ${range(ratios(kind, load, 'bare Fastify', 'perCpu'), 2)} | ${range(ratios(kind, load, 'nginx', 'rate'), 2)} |`,
      );
    }
    lines.push('');
  }
  const errors = [...results.values()].flat().flatMap((s) => s.errors);
  lines.push(
    `## ${SWAPS} certificate swaps under load (certdesk, RSA-2048 ↔ ECDSA P-256)`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| swaps (PUT 202 + confirm 200 over HTTPS), failed | ${SWAPS}, ${swaps.swapErrors} |`,
    `| time for all swaps | ${swaps.seconds.toFixed(1)} s |`,
    `| keep-alive load during swaps (wrk -c20): requests, errors | ${swaps.during.requests}, ${swaps.during.errors} |`,
    `| new-connection load during swaps (4 concurrent): requests ok, failed | ${swaps.fresh.done}, ${swaps.fresh.failed} |`,
    `| **failed requests in total** | **${failedTotal}** |`,
    `| new connections serve the last swapped certificate | ${lastOk ? 'yes' : 'NO'} |`,
    '',
    errors.length ? `First client errors: ${[...new Set(errors)].slice(0, 5).join('; ')}` : '',
  );
  const out = resultFile('tls');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${lines.join('\n').trimEnd()}\n`);
  console.log(lines.join('\n'));
}

try {
  await main();
} finally {
  for (const c of children) await stop(c);
  fs.rmSync(work, { recursive: true, force: true });
}
