/**
 * What a browser downloads to show the sign-in page, and how long the server takes to start (issue 15).
 *  - First-load JavaScript of /login, from the Vite manifest (dist/.vite/manifest.json): the entry chunk,
 *    the login page's lazy chunk and everything they import statically, each with its size as built, gzip
 *    and brotli (the .gz / .br files the web build writes); CSS beside it. Cross-checked against what
 *    Debian Chromium (Playwright) actually fetches from the built server, with the bytes on the wire.
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
import { chromium } from '@playwright/test';
import { CLIENT_CORE, cpuSeconds, freePort, SERVER_CORE, spawnPinned } from './support/proc.js';
import { quick, range, resultFile, spread } from './support/stats.js';
import { type BuiltFile, pageFiles, sizes } from './support/vite-manifest.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB_DIST = path.join(ROOT, 'web/dist');
/** The sign-in page's lazy route (web/src/app/router.tsx), as the Vite manifest names it. */
const LOGIN_PAGE = 'src/features/auth/components/login-page.tsx';
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

/**
 * Starts a server (its own process group) and resolves with the ms until /api/health answers 200, and the
 * CPU seconds the server (with npm: npm, its shell and the server) had used by then: on a busy machine
 * the wall time includes waiting for a core, the CPU time does not.
 */
async function timeToHealthy(
  command: string,
  args: string[],
  processEnv: NodeJS.ProcessEnv,
  port: number,
): Promise<{ ms: number; cpuMs: number; child: ChildProcess }> {
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
      if (res.status === 200) {
        const ms = performance.now() - t0;
        return { ms, cpuMs: cpuSeconds(child.pid!) * 1000, child };
      }
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

interface Asset extends BuiltFile {
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
          return {
            ...sizes(WEB_DIST, url.slice(1), type),
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
  const loadBefore = os.loadavg()[0] ?? 0;
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
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(times).map((k) => [k, []]));
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
        cpu[key]!.push(run.cpuMs);
      }
    }
    const p = await freePort();
    const b = await timeToHealthy(process.execPath, [bare, String(p)], process.env, p);
    await stopGroup(b.child);
    times['bare Fastify (node bare.mjs, logger at info)']!.push(b.ms);
    cpu['bare Fastify (node bare.mjs, logger at info)']!.push(b.cpuMs);
    console.log(`round ${round + 1}/${ROUNDS} done`);
  }

  const kib = (n: number) => (n / 1024).toFixed(1);
  const sum = (xs: BuiltFile[], f: (a: BuiltFile) => number) => xs.reduce((a, x) => a + f(x), 0);
  const planned = pageFiles(WEB_DIST, LOGIN_PAGE);
  const scripts = planned.filter((a) => a.type === 'script');
  const styles = planned.filter((a) => a.type === 'stylesheet');
  const fetched = assets.filter((a) => a.type === 'script');
  const plannedUrls = new Set(planned.map((a) => a.url));
  const fetchedUrls = new Set(assets.map((a) => a.url));
  const extra = [...fetchedUrls].filter((u) => !plannedUrls.has(u));
  const missing = [...plannedUrls].filter((u) => !fetchedUrls.has(u));
  const agreement =
    extra.length === 0 && missing.length === 0
      ? `Chromium fetched exactly these ${assets.length} files.`
      : `Chromium's list differs: it also fetched ${extra.join(', ') || 'nothing else'}; it did not fetch ${missing.join(', ') || 'anything less'}.`;
  // The same median as the table's (nearest rank).
  const med = (label: string, of = times) => spread(of[label]!).p50.toFixed(0);
  const bareLabel = 'bare Fastify (node bare.mjs, logger at info)';
  const wireOf = (url: string) => assets.find((a) => a.url === url);
  const lines = [
    '# Sign-in page first load and cold start',
    '',
    `**Sign-in page: ${scripts.length} JavaScript files, ${kib(sum(scripts, (a) => a.brotli))} KiB brotli / ${kib(sum(scripts, (a) => a.gzip))} KiB gzip / ${kib(sum(scripts, (a) => a.raw))} KiB as built; CSS ${kib(sum(styles, (a) => a.brotli))} KiB brotli. ` +
      `Cold start to a healthy /api/health (median of ${ROUNDS}): \`node server/dist/server.js\` ${med('node server/dist/server.js, restart')} ms on a restart (${med('node server/dist/server.js, restart', cpu)} ms of CPU) vs bare Fastify ${med(bareLabel)} ms (${med(bareLabel, cpu)} ms of CPU) started the same way; ` +
      `\`npm start\` ${med('npm start, existing data directory (restart)')} ms (restart) and ${med('npm start, empty data directory (first start)')} ms (empty data directory).**`,
    '',
    `Run ${new Date().toISOString()}${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; 1-minute load average ${loadBefore.toFixed(1)} before, ${(os.loadavg()[0] ?? 0).toFixed(1)} after (above the core count, other processes competed for the CPU).`,
    '',
    '## First load of /login',
    '',
    `From the Vite manifest: the entry chunk, the login page's chunk (\`${LOGIN_PAGE}\`) and what they import statically. Sizes as built and of the .gz / .br files the build writes beside each (files under 1 KiB are not precompressed: their compressed size is computed, marked *). ` +
      `${agreement} "wire" is the body Chromium received (a fresh profile; it asks for br), with the encoding and cache header the server sent.`,
    '',
    '| file | type | as built KiB | gzip KiB | brotli KiB | wire KiB | encoding | cache-control |',
    '|---|---|---:|---:|---:|---:|---|---|',
    ...planned.map((a) => {
      const w = wireOf(a.url);
      const star = a.precompressed ? '' : '*';
      return `| ${a.url} | ${a.type} | ${kib(a.raw)} | ${kib(a.gzip)}${star} | ${kib(a.brotli)}${star} | ${w ? kib(w.wire) : 'not fetched'} | ${w?.encoding ?? ''} | ${w?.cacheControl ?? ''} |`;
    }),
    `| **JavaScript, ${scripts.length} files** | | **${kib(sum(scripts, (a) => a.raw))}** | **${kib(sum(scripts, (a) => a.gzip))}** | **${kib(sum(scripts, (a) => a.brotli))}** | **${kib(fetched.reduce((n, a) => n + a.wire, 0))}** | | |`,
    `| **CSS, ${styles.length} files** | | **${kib(sum(styles, (a) => a.raw))}** | **${kib(sum(styles, (a) => a.gzip))}** | **${kib(sum(styles, (a) => a.brotli))}** | | | |`,
    '',
    '## Cold start until GET /api/health answers 200',
    '',
    `${ROUNDS} rounds, each starting every variant once in turn (interleaved); the server pinned to core ${SERVER_CORE}, the prober (a request every 5 ms) on core ${CLIENT_CORE}; the clock runs from spawn to the first 200; CPU is user + system time of the server's process tree (/proc) at that moment, what start-up costs whatever else the machine is doing. First start: an empty data directory (database and migrations, key-encryption key, the admin account from CERTDESK_ADMIN_PASSWORD, hashed with argon2). Restart: the same directory again. \`npm start\` includes npm's own start-up; compare \`node server/dist/server.js\` with the bare app, both started by \`node\` directly.`,
    '',
    '| start | wall ms, min / median / max | CPU ms until healthy, min / median / max |',
    '|---|---:|---:|',
    ...Object.entries(times).map(([label, xs]) => `| ${label} | ${range(xs)} | ${range(cpu[label]!)} |`),
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
