/**
 * What a browser downloads to show the sign-in page, and how long the server takes to start (issue 15).
 *  - First-load JavaScript of /login: Debian Chromium (Playwright) opens the page on the built server and
 *    every script it fetches is listed with its size as built, gzip and brotli (the .gz / .br files the
 *    web build writes), and what actually crossed the wire; CSS beside it.
 *  - Cold start: `npm start` (and `node server/dist/server.js` without npm) until GET /api/health answers
 *    200, on an empty data directory (first start: database, key-encryption key, the admin's password hash)
 *    and on the existing one (a restart); a bare Fastify app started the same way is the reference.
 *    min / median / max over the rounds, server pinned to core 0, the prober on core 1.
 * Needs the build (`npm run build`; scripts/bench.sh runs it). BENCH_QUICK=1: 2 rounds.
 * Run from the repository root: node --conditions=source --import tsx server/bench/startup.bench.ts
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { CLIENT_CORE, freePort, SERVER_CORE, spawnPinned } from './support/proc.js';
import { quick, range, resultFile } from './support/stats.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB_DIST = path.join(ROOT, 'web/dist');
const ROUNDS = Math.max(quick ? 1 : 5, Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 7)));
const PASSWORD = 'bench password for startup';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-startup-'));
const running = new Set<ChildProcess>();

// The prober runs on its own core, away from the server it waits for.
try {
  execFileSync('taskset', ['-a', '-p', '-c', String(CLIENT_CORE), String(process.pid)], { stdio: 'ignore' });
} catch {
  // no taskset: the numbers are still comparable with each other
}

function env(dataDir: string, httpPort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CERTDESK_DATA_DIR: dataDir,
    CERTDESK_HOST: '127.0.0.1',
    CERTDESK_HTTP_PORT: String(httpPort),
    CERTDESK_HTTPS_PORT: '0',
    CERTDESK_ADMIN_PASSWORD: PASSWORD,
    CERTDESK_WEB_DIST: WEB_DIST,
    CERTDESK_LOG_LEVEL: 'info',
  };
}

/** Starts a server (its own process group) and resolves with the ms until /api/health answers 200. */
async function timeToHealthy(
  command: string,
  args: string[],
  processEnv: NodeJS.ProcessEnv,
  port: number,
): Promise<{ ms: number; child: ChildProcess }> {
  const t0 = performance.now();
  const child = spawnPinned(SERVER_CORE, command, args, {
    cwd: ROOT,
    env: processEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  running.add(child);
  for (let i = 0; i < 6000; i++) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return { ms: performance.now() - t0, child };
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error(`${command} did not answer within 30 s`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

interface Asset {
  url: string;
  type: 'script' | 'stylesheet';
  raw: number;
  gzip: number;
  brotli: number;
  wire: number;
  encoding: string;
  cacheControl: string;
}

/** Opens /login in Chromium and lists the scripts and stylesheets it fetched. */
async function signInPageAssets(port: number): Promise<Asset[]> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    const seen: Promise<Asset | null>[] = [];
    page.on('requestfinished', (request) => {
      const type = request.resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      seen.push(
        (async () => {
          const response = await request.response();
          if (!response) return null;
          const url = new URL(request.url()).pathname;
          const file = path.join(WEB_DIST, url);
          const body = fs.readFileSync(file);
          // The build leaves files under 1 KiB uncompressed: their compressed size is computed here.
          const size = (f: string, compress: (b: Buffer) => Buffer) =>
            fs.existsSync(f) ? fs.statSync(f).size : compress(body).length;
          return {
            url,
            type,
            raw: body.length,
            gzip: size(`${file}.gz`, (b) => zlib.gzipSync(b, { level: 9 })),
            brotli: size(`${file}.br`, (b) => zlib.brotliCompressSync(b)),
            wire: (await request.sizes()).responseBodySize,
            encoding: (await response.allHeaders())['content-encoding'] ?? 'none',
            cacheControl: (await response.allHeaders())['cache-control'] ?? '',
          };
        })(),
      );
    });
    await page.goto(`http://127.0.0.1:${port}/login`, { waitUntil: 'networkidle' });
    await page
      .getByLabel(/password/i)
      .first()
      .waitFor({ timeout: 30_000 });
    return (await Promise.all(seen)).filter((a): a is Asset => a !== null);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  for (const f of [path.join(ROOT, 'server/dist/server.js'), path.join(WEB_DIST, 'index.html')]) {
    if (!fs.existsSync(f))
      throw new Error(`${f} is missing: run "npm run build" first (scripts/bench.sh does)`);
  }
  const bare = path.join(work, 'bare.mjs');
  fs.writeFileSync(
    bare,
    `import Fastify from ${JSON.stringify(path.join(ROOT, 'node_modules/fastify/fastify.js'))};
const app = Fastify({ logger: { level: 'info' } });
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) });
process.on('SIGTERM', () => process.exit(0));
`,
  );

  // First-load assets of the sign-in page.
  const port = await freePort();
  const assetsDir = path.join(work, 'assets-data');
  const server = await timeToHealthy(process.execPath, ['server/dist/server.js'], env(assetsDir, port), port);
  const assets = await signInPageAssets(port);
  await stopGroup(server.child);

  const times: Record<string, number[]> = {
    'npm start, empty data directory (first start)': [],
    'npm start, existing data directory (restart)': [],
    'node server/dist/server.js, first start': [],
    'node server/dist/server.js, restart': [],
    'bare Fastify (node bare.mjs, logger at info)': [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, command, args] of [
      ['npm start', 'npm', ['start', '--silent']],
      ['node server/dist/server.js', process.execPath, ['server/dist/server.js']],
    ] as const) {
      const dataDir = path.join(work, `data-${label.replace(/\W+/g, '-')}-${round}`);
      for (const phase of ['first start', 'restart'] as const) {
        const p = await freePort();
        const run = await timeToHealthy(command, [...args], env(dataDir, p), p);
        await stopGroup(run.child);
        const key =
          label === 'npm start'
            ? `npm start, ${phase === 'first start' ? 'empty data directory (first start)' : 'existing data directory (restart)'}`
            : `node server/dist/server.js, ${phase}`;
        times[key]!.push(run.ms);
      }
    }
    const p = await freePort();
    const b = await timeToHealthy(process.execPath, [bare, String(p)], process.env, p);
    await stopGroup(b.child);
    times['bare Fastify (node bare.mjs, logger at info)']!.push(b.ms);
    console.log(`round ${round + 1}/${ROUNDS} done`);
  }

  const kib = (n: number) => (n / 1024).toFixed(1);
  const sum = (xs: Asset[], f: (a: Asset) => number) => xs.reduce((a, x) => a + f(x), 0);
  const scripts = assets.filter((a) => a.type === 'script');
  const styles = assets.filter((a) => a.type === 'stylesheet');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const lines = [
    '# Sign-in page first load and cold start',
    '',
    `**Sign-in page: ${scripts.length} JavaScript files, ${kib(sum(scripts, (a) => a.gzip))} KiB gzip (${kib(sum(scripts, (a) => a.brotli))} KiB brotli, ${kib(sum(scripts, (a) => a.raw))} KiB as built); CSS ${kib(sum(styles, (a) => a.gzip))} KiB gzip. ` +
      `Cold start \`npm start\` → /api/health: ${median(times['npm start, existing data directory (restart)']!).toFixed(0)} ms median on a restart, ${median(times['npm start, empty data directory (first start)']!).toFixed(0)} ms on an empty data directory; bare Fastify ${median(times['bare Fastify (node bare.mjs, logger at info)']!).toFixed(0)} ms.**`,
    '',
    `Run ${new Date().toISOString()}${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; 1-minute load average ${os.loadavg()[0]?.toFixed(1)} at the end.`,
    '',
    '## First load of /login (Debian Chromium, a fresh profile)',
    '',
    'Sizes of each file as built, and of the .gz / .br files the build writes beside it (files under 1 KiB are not precompressed: their compressed size is computed); "wire" is what Chromium received (it asks for brotli).',
    '',
    '| file | type | as built KiB | gzip KiB | brotli KiB | wire KiB | encoding | cache-control |',
    '|---|---|---:|---:|---:|---:|---|---|',
    ...assets.map(
      (a) =>
        `| ${a.url} | ${a.type} | ${kib(a.raw)} | ${kib(a.gzip)} | ${kib(a.brotli)} | ${kib(a.wire)} | ${a.encoding} | ${a.cacheControl} |`,
    ),
    `| **JavaScript, ${scripts.length} files** | | **${kib(sum(scripts, (a) => a.raw))}** | **${kib(sum(scripts, (a) => a.gzip))}** | **${kib(sum(scripts, (a) => a.brotli))}** | **${kib(sum(scripts, (a) => a.wire))}** | | |`,
    '',
    '## Cold start until GET /api/health answers 200',
    '',
    `${ROUNDS} rounds; the server pinned to core ${SERVER_CORE}, the prober (a request every 5 ms) on core ${CLIENT_CORE}. First start: an empty data directory (database and migrations, key-encryption key, the admin account from CERTDESK_ADMIN_PASSWORD, hashed with argon2). Restart: the same directory again. \`npm start\` includes npm's own start-up.`,
    '',
    '| start | min / median / max ms |',
    '|---|---:|',
    ...Object.entries(times).map(([label, xs]) => `| ${label} | ${range(xs)} |`),
    '',
  ];
  const out = resultFile('startup');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
}

try {
  await main();
} finally {
  for (const c of running) await stopGroup(c);
  fs.rmSync(work, { recursive: true, force: true });
}
