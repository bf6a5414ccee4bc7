import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ADMIN_PASSWORD, createTestApp } from '../test/support/app.js';
import { seedInventory } from '../test/support/inventory-seed.js';
import { makeLeaf } from '../test/support/pki.js';
import {
  CLIENT_CORE,
  cpuSeconds,
  freePort,
  SERVER_CORE,
  spawnPinned,
  stop,
  waitForPort,
} from './support/proc.js';
import { quick, range, resultFile, spread } from './support/stats.js';

/**
 * Load test: signed-in clients over real HTTP mixing list, search, detail, dry-run import and export
 * against a 10,000-certificate inventory. The server is the production entry point (server/src/server.ts,
 * log level info, access log to a file) in its own process pinned to core 0; the clients are another
 * process (load-clients.mjs) pinned to core 1, so neither measures the other. Reported per round: the
 * wall-clock rate, requests per second of server CPU (user + system of the server process, from /proc),
 * the clients' own CPU use (near 100% of their core means the generator, not the server, set the pace),
 * p50/p99 per operation, errors, the server's RSS. A reference phase of GET /api/health from the same
 * clients shows what the generator can drive. Bounded: every phase has a deadline and a kill timer.
 * BENCH_QUICK=1: 5 clients, 1 round of 3 s, 500 certificates (checks that it runs; the numbers mean nothing).
 * LOAD_PROFILE=<dir>: the server writes a V8 CPU profile there (--cpu-prof) at shutdown.
 * Run from the repository root: node --conditions=source --import tsx server/bench/load.bench.ts
 */

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? (quick ? 5 : 50));
const SECONDS = Number(process.env.LOAD_SECONDS ?? (quick ? 3 : 20));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3)));
const N = Number(process.env.LOAD_CERTS ?? (quick ? 500 : 10_000));
const ROOT = path.resolve(import.meta.dirname, '../..');
const MIX: [string, number][] = [
  ['list', 30],
  ['search', 25],
  ['detail', 20],
  ['dryRunImport', 10],
  ['export', 15],
];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-load-'));
const dataDir = path.join(work, 'data');
const children: ChildProcess[] = [];

interface PhaseResult {
  latencies: Record<string, number[]>;
  errors: string[];
  seconds: number;
  serverCpu: number;
  clientCpu: number;
  rss: { before: number; after: number; peak: number };
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** One phase of load-clients.mjs on the client core; the server's CPU is read right around it. */
async function phase(planFile: string, name: string, seconds: number, server: ChildProcess) {
  const client = spawnPinned(
    CLIENT_CORE,
    process.execPath,
    [path.join(import.meta.dirname, 'load-clients.mjs'), planFile, name],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  children.push(client);
  const kill = setTimeout(() => client.kill('SIGKILL'), (seconds + 60) * 1000);
  try {
    const lines = readline.createInterface({ input: client.stdout! });
    const it = lines[Symbol.asyncIterator]();
    const next = async () => {
      const r = await it.next();
      if (r.done) throw new Error(`load-clients (${name}) ended early`);
      return r.value as string;
    };
    if ((await next()) !== 'ready') throw new Error('load-clients did not start');
    const rssBefore = rssBytes(server.pid!);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(server.pid!));
    }, 250);
    const [s0, c0] = [cpuSeconds(server.pid!), cpuSeconds(client.pid!)];
    client.stdin!.write('go\n');
    const out = JSON.parse(await next()) as Omit<PhaseResult, 'serverCpu' | 'clientCpu' | 'rss'>;
    const [s1, c1] = [cpuSeconds(server.pid!), cpuSeconds(client.pid!)];
    clearInterval(sampler);
    lines.close();
    return {
      ...out,
      serverCpu: s1 - s0,
      clientCpu: c1 - c0,
      rss: { before: rssBefore, after: rssBytes(server.pid!), peak },
    } satisfies PhaseResult;
  } finally {
    clearTimeout(kill);
    await stop(client);
  }
}

const count = (r: PhaseResult) => Object.values(r.latencies).reduce((n, a) => n + a.length, 0);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

const loadBefore = os.loadavg()[0] ?? 0;
const started = Date.now();
try {
  // Seed through the real repositories, then close: the measured server opens the same data directory.
  const { app, close } = await createTestApp({ CERTDESK_DATA_DIR: dataDir });
  const inv = await seedInventory(app, N);
  const leaf = await makeLeaf(inv.pki.intermediate, { cn: 'load.example.com', notAfterDays: 90 });
  const rootPem = inv.pki.root.cert.toString();
  const serial = inv.cert(Math.min(500, inv.count - 1)).serialNumber.slice(0, 8);
  await close();

  const port = await freePort();
  const profile = process.env.LOAD_PROFILE;
  const server = spawnPinned(
    SERVER_CORE,
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : []),
      '--conditions=source',
      '--import',
      'tsx',
      'server/src/server.ts',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        CERTDESK_DATA_DIR: dataDir,
        CERTDESK_HOST: '127.0.0.1',
        CERTDESK_HTTP_PORT: String(port),
        CERTDESK_HTTPS_PORT: String(await freePort()),
        CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
        CERTDESK_LOG_LEVEL: 'info',
        CERTDESK_WEB_DIST: '/nonexistent',
      },
      stdio: ['ignore', fs.openSync(path.join(work, 'certdesk.log'), 'w'), 'inherit'],
    },
  );
  children.push(server);
  await waitForPort(port, server, 120);
  const base = `http://127.0.0.1:${port}`;

  const sessions: { cookie: string; csrf: string }[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const r = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    if (!r.ok) throw new Error(`login ${i}: ${r.status} ${await r.text()}`);
    sessions.push({
      cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] as string,
      csrf: ((await r.json()) as { csrfToken: string }).csrfToken,
    });
  }
  const s0 = sessions[0]!;
  const anchor = new FormData();
  anchor.append('file', new Blob([rootPem]), 'root.pem');
  const added = await fetch(`${base}/api/trust-anchors`, {
    method: 'POST',
    headers: { cookie: s0.cookie, 'x-csrf-token': s0.csrf },
    body: anchor,
  });
  if (added.status !== 201) throw new Error(`trust anchor: ${added.status} ${await added.text()}`);

  const planFile = path.join(work, 'plan.json');
  fs.writeFileSync(
    planFile,
    JSON.stringify({
      base,
      sessions,
      ids: inv.ids,
      words: ['portal', 'api12', 'example.org', 'vpn', 'contoso', 'mail77', 'acme.test', serial],
      importFiles: [
        { name: 'server.crt', text: leaf.cert.toString() },
        { name: 'server.key', text: leaf.key.export({ type: 'pkcs8', format: 'pem' }) as string },
        { name: 'intermediate.crt', text: inv.pki.intermediate.cert.toString() },
      ],
      phases: {
        warmup: { seconds: quick ? 1 : 3, weights: MIX },
        health: { seconds: quick ? 1 : 5, weights: [['health', 1]] },
        mix: { seconds: SECONDS, weights: MIX },
      },
    }),
  );

  await phase(planFile, 'warmup', quick ? 1 : 3, server);
  const reference = await phase(planFile, 'health', quick ? 1 : 5, server);
  const rounds: PhaseResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const result = await phase(planFile, 'mix', SECONDS, server);
    rounds.push(result);
    const n = count(result);
    console.log(
      `round ${r + 1}: ${(n / result.seconds).toFixed(0)} req/s wall, ${(n / result.serverCpu).toFixed(0)} per server CPU-s, ${result.errors.length} errors`,
    );
  }
  await stop(server);
  const loadAfter = os.loadavg()[0] ?? 0;

  const wall = rounds.map((r) => count(r) / r.seconds);
  const perCpu = rounds.map((r) => count(r) / r.serverCpu);
  const errors = rounds.flatMap((r) => r.errors);
  const ops = MIX.map(([name]) => name);
  const pooled = (name: string) => rounds.flatMap((r) => r.latencies[name] ?? []);
  const all = spread(rounds.flatMap((r) => Object.values(r.latencies).flat()));
  const ref = count(reference);
  const summary =
    `**${CLIENTS} clients, mixed operations against ${N} certificates, ${ROUNDS} rounds of ${SECONDS} s: ` +
    `${range(wall)} req/s wall, ${range(perCpu)} requests per server CPU-second (min / median / max); ` +
    `p50 ${fmt(all.p50)} ms, p99 ${fmt(all.p99)} ms; ${errors.length} errors; server RSS peak ${mb(Math.max(...rounds.map((r) => r.rss.peak)))} MiB. ` +
    `Reference, GET /api/health from the same clients: ${(ref / reference.seconds).toFixed(0)} req/s, ${(ref / reference.serverCpu).toFixed(0)} per server CPU-second.**`;
  const lines = [
    '# Load test',
    '',
    summary,
    '',
    `Run ${new Date().toISOString()}${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; whole run ${((Date.now() - started) / 1000).toFixed(0)} s; 1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (above the core count, other processes competed for the CPU and the wall-clock rate says little; the per-CPU-second rate is the figure to compare).`,
    '',
    `Method: the server (server/src/server.ts, log level info, one access line per request to a file) in its own process pinned to core ${SERVER_CORE}; ${CLIENTS} signed-in clients (Node fetch, keep-alive) in another process pinned to core ${CLIENT_CORE}, each looping over list 30%, search 25%, detail 20%, dry-run import 10% (leaf, key and intermediate under a trusted root), export 15%, for ${SECONDS} s per round after a warm-up. Server CPU is user + system time of the server process over the round (/proc); latency is what the clients saw. Seeding: ${inv.generateSeconds.toFixed(1)} s to generate, ${inv.insertSeconds.toFixed(1)} s to insert.`,
    '',
    '| round | requests | req/s wall | server CPU s | req per server CPU-s | clients CPU % of their core | errors | server RSS MiB before → after (peak) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...[...rounds, reference].map((r, i) => {
      const n = count(r);
      const label = r === reference ? 'reference: GET /api/health' : String(i + 1);
      return `| ${label} | ${n} | ${(n / r.seconds).toFixed(0)} | ${r.serverCpu.toFixed(1)} | ${(n / r.serverCpu).toFixed(0)} | ${((100 * r.clientCpu) / r.seconds).toFixed(0)} | ${r.errors.length} | ${mb(r.rss.before)} → ${mb(r.rss.after)} (${mb(r.rss.peak)}) |`;
    }),
    '',
    'Latency per operation, all rounds pooled (ms):',
    '',
    '| operation | requests | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    ...[...ops, 'health'].map((name) => {
      const s = spread(name === 'health' ? (reference.latencies.health ?? []) : pooled(name));
      return `| ${name === 'health' ? 'health (reference phase)' : name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.max)} |`;
    }),
    '',
    errors.length
      ? `## Errors (first 20 of ${errors.length})\n\n${errors
          .slice(0, 20)
          .map((e) => `- ${e}`)
          .join('\n')}\n`
      : 'No errors.\n',
  ];
  const out = resultFile('load');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
  if (errors.length) process.exitCode = 1;
} finally {
  for (const c of children) await stop(c);
  fs.rmSync(work, { recursive: true, force: true });
}
