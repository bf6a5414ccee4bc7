/**
 * HTTPS mode measured on the server, not on the client (issue 15). Four servers, each the same
 * certificate and chain, each pinned to core 0 while the load generator runs pinned to core 1:
 *  - certdesk (server/src/server.ts, production log level info, one access line per request to a file),
 *  - nginx (Debian, one worker, Mozilla "intermediate" TLS settings, its default access log to a file),
 *  - a bare Fastify app on the same Node and TLS options (bare-fastify.ts: no logger, no hooks),
 *  - a raw node:tls server on the same Node and TLS options (raw-tls.ts: no HTTP layer; the floor of any
 *    Node HTTPS server), on the handshake loads only.
 * Four loads, for an RSA-2048 and an ECDSA P-256 certificate: full handshakes (a new connection each, no
 * session offered), a full handshake plus one GET per connection, resumed handshakes (each client offers
 * its last session ticket), and keep-alive requests on /api/health (wrk -t1 -c20). Each load runs on the
 * servers in turn, in ≥ 5 rounds with the order rotated, and reports the wall-clock rate and the
 * rate per second of server CPU (from /proc/<pid>/stat: the process and its children, every thread), as
 * min / median / max over the rounds. The handshake client reuses one secure context and counts full and
 * resumed handshakes apart (tls-client.mjs). Then 50 certificate swaps under load (target: 0 failures).
 * BENCH_QUICK=1: 1 s per load, 2 rounds, 6 swaps (checks that it runs; the numbers mean nothing).
 * BENCH_TLS_CASES=full,get,resumed,keepalive,swaps (any subset; default all) runs only those cases;
 * BENCH_TLS_KEYS=rsa,ecdsa (default both) only those certificates.
 * Run from the repository root: node --conditions=source --import tsx server/bench/tls.bench.ts
 * Writes bench/results/tls.md. Needs nginx, wrk and taskset (scripts/bench.sh installs what is missing).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Issued as Pem } from '../test/support/pki.js';
import { TlsPki } from '../test/support/tls-seed.js';
import { freePort, run, stop, waitForPort } from './support/proc.js';
import { quick, resultFile } from './support/stats.js';
import {
  type Load,
  measure,
  type Sample,
  type SwapResult,
  swapsUnderLoad,
  type Target,
} from './support/tls-measure.js';
import { renderReport } from './support/tls-report.js';
import {
  benchLeaves,
  type KeyKind,
  serveCertdesk,
  startBare,
  startCertdesk,
  startNginx,
} from './support/tls-servers.js';

const ROUNDS = Math.max(quick ? 1 : 5, Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 5)));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-tls-'));
const children: ChildProcess[] = [];

const CASES: Record<string, Load | 'swaps'> = {
  full: 'full handshake',
  get: 'full handshake + GET',
  resumed: 'resumed handshake',
  keepalive: 'keep-alive GET',
  swaps: 'swaps',
};
const KEYS: Record<string, KeyKind> = { rsa: 'RSA-2048', ecdsa: 'ECDSA P-256' };

/** The names of an env list, each checked against the known ones (a typo must not measure nothing). */
function selected<T>(envName: string, known: Record<string, T>): T[] {
  const text = process.env[envName];
  if (!text) return Object.values(known);
  return text.split(',').map((raw) => {
    const name = raw.trim().toLowerCase();
    if (!(name in known))
      throw new Error(`${envName}: unknown "${name}" (known: ${Object.keys(known).join(', ')})`);
    return known[name]!;
  });
}

async function main(): Promise<void> {
  for (const tool of ['taskset', 'wrk', '/usr/sbin/nginx']) {
    await run('sh', ['-c', `command -v ${tool}`]).catch(() => {
      throw new Error(`${tool} is missing: run scripts/bench.sh (it installs nginx and wrk)`);
    });
  }
  const cases = selected('BENCH_TLS_CASES', CASES);
  const loads = Object.values(CASES).filter((c): c is Load => c !== 'swaps' && cases.includes(c));
  const kinds = selected('BENCH_TLS_KEYS', KEYS);
  const pki = new TlsPki();
  const leaves = benchLeaves(pki);
  const caFile = path.join(work, 'root.pem');
  fs.writeFileSync(caFile, pki.root.certPem);
  const files = {} as Record<KeyKind, { chain: string; key: string }>;
  for (const [kind, leaf] of Object.entries(leaves) as [KeyKind, Pem][]) {
    const base = path.join(work, kind.replace(/\W+/g, '-'));
    fs.writeFileSync(`${base}.fullchain.pem`, leaf.certPem + pki.intermediate.certPem);
    fs.writeFileSync(`${base}.key`, leaf.keyPem, { mode: 0o600 });
    files[kind] = { chain: `${base}.fullchain.pem`, key: `${base}.key` };
  }

  const cd = await startCertdesk(work, children, leaves, pki);
  const results = new Map<string, Sample[]>(); // `${kind}|${load}|${server}`
  const loadBefore = os.loadavg()[0] ?? 0;
  const t0 = Date.now();
  for (const kind of loads.length ? kinds : []) {
    await serveCertdesk(cd, kind);
    const [nginxPort, barePort, rawPort] = [await freePort(), await freePort(), await freePort()];
    const nginx = startNginx(work, children, nginxPort, files[kind].chain, files[kind].key);
    const bare = startBare(children, barePort, files[kind].chain, files[kind].key);
    const raw = startBare(children, rawPort, files[kind].chain, files[kind].key, 'raw node:tls');
    await waitForPort(nginxPort, nginx);
    await waitForPort(barePort, bare);
    await waitForPort(rawPort, raw);
    const targets: Target[] = [
      { name: 'certdesk', port: cd.httpsPort, pid: cd.child.pid! },
      { name: 'nginx', port: nginxPort, pid: nginx.pid! },
      { name: 'bare Fastify', port: barePort, pid: bare.pid! },
      { name: 'raw node:tls', port: rawPort, pid: raw.pid! },
    ];
    // Warm-up: JIT, session caches, first handshakes; and the keep-alive path, whose first seconds in a
    // process are spent compiling it (certdesk has more of it to compile than bare Fastify: measured
    // cold, round 1 of keep-alive said more about V8 than about either server). Not counted.
    for (const t of targets) await measure(t, 'full handshake + GET', caFile);
    if (loads.includes('keep-alive GET'))
      for (const t of targets) if (t.name !== 'raw node:tls') await measure(t, 'keep-alive GET', caFile);
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const load of loads) {
        for (const target of order) {
          // The raw TLS server answers one request per connection: it has no keep-alive to measure.
          if (load === 'keep-alive GET' && target.name === 'raw node:tls') continue;
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
    await stop(raw);
  }
  const seconds = (Date.now() - t0) / 1000;

  let swaps: SwapResult | null = null;
  if (cases.includes('swaps')) {
    console.log('swapping the certificate under load…');
    swaps = await swapsUnderLoad(cd, children, caFile, loads.length ? kinds.at(-1)! : 'RSA-2048');
  }
  await stop(cd.child);
  const loadAfter = os.loadavg()[0] ?? 0;
  const text = await renderReport({
    kinds,
    loads,
    rounds: ROUNDS,
    results,
    seconds,
    loadBefore,
    loadAfter,
    swaps,
    leaves,
  });
  const out = resultFile('tls');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(text);
}

try {
  await main();
} finally {
  for (const c of children) await stop(c);
  fs.rmSync(work, { recursive: true, force: true });
}
