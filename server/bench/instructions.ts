/**
 * Instructions per keep-alive GET /api/health, counted by valgrind's callgrind, for certdesk (checkout A
 * and/or B) and the bare Fastify reference (not part of `npm run bench`). It counts user-space instructions
 * only (not the kernel's share, not cache misses): the CPU-second figures in tls.bench.ts stay the reported
 * ones. What it is good for: the CPU-second ratio to bare Fastify on this shared machine moved between
 * 0.53 and 1.25 per round for the same code (2026-11-27); instruction counts of one server moved by ~1-3 %
 * between batches, enough to see a change of 5 % or more that the CPU-second bench cannot.
 *   A=/path/to/base B=/path/to/branch BATCHES=3 REQUESTS=4000 \
 *     node --conditions=source --import tsx server/bench/instructions.ts
 * Each server runs under callgrind (start-up takes minutes), is warmed with WARMUP requests, then counts
 * BATCHES batches of REQUESTS requests over 4 keep-alive connections; a whole run takes ~25 minutes.
 * The first batch after a server sat idle while the others ran counts high (300k where later batches
 * count 200k): take the later batches. KEEP=/dir keeps each server's last dump there (native functions are
 * named; V8's generated code stays anonymous).
 * Measured 2026-11-27 (batches 2-3): certdesk 198,839-200,800 instructions per request, bare Fastify
 * 125,495-140,127 (still falling).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { TlsPki } from '../test/support/tls-seed.js';
import { freePort, stop, waitForPort } from './support/proc.js';
import { benchLeaves, ROOT, serveCertdesk, startBare, startCertdesk } from './support/tls-servers.js';

const BATCHES = Number(process.env.BATCHES ?? 3);
const REQUESTS = Number(process.env.REQUESTS ?? 4000);
const WARMUP = Number(process.env.WARMUP ?? 40000);
const CONNECTIONS = 4;

function callgrind(out: string): string[] {
  return ['valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`, '--dump-instr=no'];
}

/** Sequential keep-alive GETs over CONNECTIONS sockets; the count is what the server answered. */
async function load(port: number, count: number, caPem: string): Promise<void> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONNECTIONS, ca: caPem });
  let started = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port, path: '/api/health', agent, servername: 'localhost' }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`))));
        })
        .on('error', reject);
    });
  const worker = async () => {
    while (started < count) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  agent.destroy();
}

/** Instructions counted since the last dump (callgrind_control -d writes out.<n>; its summary line). */
function dumpCount(pid: number, out: string): number {
  const before = new Set(fs.readdirSync(path.dirname(out)));
  execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
  const file = fs
    .readdirSync(path.dirname(out))
    .find((f) => !before.has(f) && f.startsWith(path.basename(out)));
  if (!file) throw new Error('callgrind wrote no dump');
  const dump = path.join(path.dirname(out), file);
  const text = fs.readFileSync(dump, 'utf8');
  if (process.env.KEEP) fs.copyFileSync(dump, path.join(process.env.KEEP, path.basename(out)));
  return Number(/^summary: (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'instr-'));
const children: ChildProcess[] = [];
try {
  const pki = new TlsPki();
  const leaves = benchLeaves(pki);
  const [fc, k] = [path.join(work, 'fc.pem'), path.join(work, 'k.pem')];
  fs.writeFileSync(fc, leaves['RSA-2048'].certPem + pki.intermediate.certPem);
  fs.writeFileSync(k, leaves['RSA-2048'].keyPem);
  const targets: { name: string; port: number; pid: number; out: string }[] = [];
  const roots: [string, string][] = [];
  if (process.env.A !== '') roots.push(['A', process.env.A ?? ROOT]);
  if (process.env.B) roots.push(['B', process.env.B]);
  for (const [name, root] of roots) {
    const out = path.join(work, `cg-${name}`);
    const cd = await startCertdesk(work, children, leaves, pki, {
      root,
      wrapper: callgrind(out),
      startSeconds: 600,
    });
    await serveCertdesk(cd, 'RSA-2048');
    targets.push({ name, port: cd.httpsPort, pid: cd.child.pid!, out });
  }
  const port = await freePort();
  const out = path.join(work, 'cg-bare');
  const bare = startBare(children, port, fc, k, 'bare Fastify', callgrind(out));
  await waitForPort(port, bare, 600);
  targets.push({ name: 'bare', port, pid: bare.pid!, out });

  const perRequest = new Map<string, number[]>();
  for (const t of targets) {
    await load(t.port, WARMUP, pki.root.certPem);
    dumpCount(t.pid, t.out);
  }
  for (let b = 0; b < BATCHES; b++) {
    for (const t of targets) {
      await load(t.port, REQUESTS, pki.root.certPem);
      const n = dumpCount(t.pid, t.out) / REQUESTS;
      perRequest.set(t.name, [...(perRequest.get(t.name) ?? []), n]);
      console.log(`batch ${b + 1} ${t.name}: ${Math.round(n)} instructions per request`);
    }
  }
  // The first batch follows minutes of idling while the other servers ran, and counts high: left out.
  const counted = (xs: number[]) => (xs.length > 1 ? xs.slice(1) : xs);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const bareMedian = median(counted(perRequest.get('bare')!));
  for (const [name, all] of perRequest) {
    const xs = counted(all);
    console.log(
      `${name}: median ${Math.round(median(xs))} (min ${Math.round(Math.min(...xs))}, max ${Math.round(Math.max(...xs))}) of batches 2-${all.length}; bare÷${name} ${(bareMedian / median(xs)).toFixed(3)}`,
    );
  }
} finally {
  for (const c of children) await stop(c);
  fs.rmSync(work, { recursive: true, force: true });
}
