/**
 * A/B of two certdesk checkouts on the HTTPS port (not part of `npm run bench`): certdesk from checkout A
 * and from checkout B, and the bare Fastify reference, each pinned to the server core, the same loads as
 * tls.bench.ts (its support modules), interleaved in rounds with the order rotated, per server CPU-second
 * (min / median / max, and B÷A per round). A needs its own node_modules (hard links will do).
 *   A=/path/to/base B=/path/to/branch KIND=rsa|ecdsa LOADS=full,get,resumed,keepalive ROUNDS=5 \
 *     node --conditions=source --import tsx server/bench/tls-ab.ts
 * A= (empty) runs B alone; PROFILE=/dir runs B with --cpu-prof into /dir; B_NODE_ARGS="--flag …" starts B's
 * node with those flags (A without: a flag's A/B on one checkout); REFS=bare,raw,nginx picks the references
 * (default bare; raw = raw-tls.ts, nginx = the bench's Mozilla nginx, cluster = cluster-fastify.ts;
 * NOBARE=1 = none);
 * IDLE=1 only reports each server's CPU while idle. BENCH_TLS_SECONDS sets the seconds per load.
 * Calibrate before believing a B/A: two checkouts of the same server code (A=/work/main, B=a branch with
 * bench changes only) measured B/A 1.02 / 1.09 / 1.15 on full handshakes over 5 rounds (2026-11-27, shared
 * 2-core machine, load average 2.7–4.2); on such a machine a change must clear that band, not 1.0.
 * INTERLEAVE=<cycles> (keep-alive only; SLICE_MS=250, COPIES=2, CONNECTIONS=20): the servers take turns of
 * SLICE_MS over connections kept open (interleave-client.mjs), CPU read from the scheduler in ns; COPIES=n
 * starts n processes of each checkout, REF_COPIES=n of each reference. What it showed (2026-11-28, 80 cycles
 * of 250 ms): turns interleaved this finely, two processes of the same code still differ by up to 1.2× (A2/A
 * 0.83–1.20 over five runs), for the whole run: a process settles in a faster or slower state at start. A
 * change of less than ~10 % needs several processes per side and several runs; these did not show one (the
 * log line written into one buffer: 0.92; route-scoped hooks and cookies read under /api only: 0.96; V8's
 * young generation fixed at 16 MB: 0.97; security headers left out: 1.01; the access line left out: 1.07;
 * those two and the display-safety and finite-number hooks left out together: 1.17 — the most certdesk's own
 * per-request features cost on /api/health). With 4–6 processes a side and REF_COPIES=3–5 (2026-11-28
 * 06:36–07:28, bench/results/tls-keepalive.md) each process's ratio stayed within ±0.07 of its group's, and
 * certdesk ÷ bare of the same code still moved 0.68–0.74 between runs.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TlsPki } from '../test/support/tls-seed.js';
import { CLIENT_CORE, cpuSeconds, freePort, run, stop, waitForPort } from './support/proc.js';
import { range } from './support/stats.js';
import { type Load, measure, type Target } from './support/tls-measure.js';
import {
  benchLeaves,
  type KeyKind,
  ROOT,
  serveCertdesk,
  startBare,
  startCertdesk,
  startNginx,
} from './support/tls-servers.js';

const kind: KeyKind = process.env.KIND === 'ecdsa' ? 'ECDSA P-256' : 'RSA-2048';
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const names: Record<string, Load> = {
  full: 'full handshake',
  get: 'full handshake + GET',
  resumed: 'resumed handshake',
  keepalive: 'keep-alive GET',
};
const REF_SCRIPTS: Record<string, 'raw node:tls' | 'bare Fastify cluster'> = {
  raw: 'raw node:tls',
  cluster: 'bare Fastify cluster',
};
const loads = (process.env.LOADS ?? 'full,get').split(',').map((n) => names[n]!);
const refs = process.env.NOBARE ? [] : (process.env.REFS ?? 'bare').split(',');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-ab-'));
const children: ChildProcess[] = [];
try {
  const pki = new TlsPki();
  const leaves = benchLeaves(pki);
  const caFile = path.join(work, 'root.pem');
  fs.writeFileSync(caFile, pki.root.certPem);
  const leaf = leaves[kind];
  fs.writeFileSync(path.join(work, 'fc.pem'), leaf.certPem + pki.intermediate.certPem);
  fs.writeFileSync(path.join(work, 'k.pem'), leaf.keyPem);
  const targets: Target[] = [];
  const roots: [string, string][] = [];
  if (process.env.A !== '') roots.push(['A', process.env.A ?? ROOT]);
  roots.push(['B', process.env.B ?? ROOT]);
  // COPIES=n starts n processes of each checkout (A, A2, …, B, B2, …; INTERLEAVE only): one process can sit
  // in a slower state than another of the same code for minutes, which a single pair mistakes for a change.
  const copies = process.env.INTERLEAVE ? Number(process.env.COPIES ?? 1) : 1;
  for (const [name, root] of roots.flatMap(([n, r]) =>
    Array.from({ length: copies }, (_, i) => [i === 0 ? n : `${n}${i + 1}`, r] as const),
  )) {
    const nodeArgs = !name.startsWith('B')
      ? []
      : [
          ...(process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : []),
          ...(process.env.B_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        ];
    const cd = await startCertdesk(work, children, leaves, pki, { root, nodeArgs });
    await serveCertdesk(cd, kind);
    targets.push({ name: name as Target['name'], port: cd.httpsPort, pid: cd.child.pid! });
  }
  const [fc, k] = [path.join(work, 'fc.pem'), path.join(work, 'k.pem')];
  // REF_COPIES=n (INTERLEAVE only) starts n processes of each reference too: a ratio to one reference process
  // carries that process's own state (±15 % here), which several cancel out.
  const refCopies = process.env.INTERLEAVE ? Number(process.env.REF_COPIES ?? 1) : 1;
  for (const ref of refs)
    for (let copy = 1; copy <= refCopies; copy++) {
      const port = await freePort();
      const child =
        ref === 'nginx'
          ? startNginx(work, children, port, fc, k)
          : startBare(children, port, fc, k, REF_SCRIPTS[ref] ?? 'bare Fastify');
      await waitForPort(port, child);
      targets.push({ name: (copy === 1 ? ref : `${ref}${copy}`) as Target['name'], port, pid: child.pid! });
    }
  if (process.env.INTERLEAVE) {
    await interleaved(targets, caFile);
  } else if (process.env.IDLE) {
    await new Promise((r) => setTimeout(r, 5000));
    const before = targets.map((t) => cpuSeconds(t.pid));
    await new Promise((r) => setTimeout(r, 20000));
    for (const [i, t] of targets.entries()) {
      const ms = ((cpuSeconds(t.pid) - before[i]!) / 20) * 1000;
      console.log(`idle ${t.name}: ${ms.toFixed(1)} ms CPU per s`);
    }
  } else {
    await rounds(targets, caFile);
  }
} finally {
  for (const c of children) await stop(c);
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * INTERLEAVE=<cycles>: keep-alive GETs with the servers taking turns of SLICE_MS (default 1000) over
 * connections opened once (interleave-client.mjs), after one warm-up keep-alive load each.
 */
async function interleaved(targets: Target[], caFile: string): Promise<void> {
  for (const t of targets) await measure(t, 'keep-alive GET', caFile);
  const load = os.loadavg()[0]!.toFixed(1);
  const { stdout } = await run(
    'taskset',
    [
      '-c',
      String(CLIENT_CORE),
      process.execPath,
      path.join(import.meta.dirname, 'interleave-client.mjs'),
      caFile,
      process.env.SLICE_MS ?? '1000',
      process.env.INTERLEAVE!,
      process.env.CONNECTIONS ?? '20',
      ...targets.map((t) => `${t.name}:${t.port}:${t.pid}`),
    ],
    { timeout: 3_600_000 },
  );
  const result = JSON.parse(stdout) as {
    servers: {
      name: string;
      answered: number;
      cpuSeconds: number;
      perCpu: number;
      busy: number;
      blocks: number[];
    }[];
    ratios: Record<string, number[]>;
  };
  console.log(`${kind} keep-alive, interleaved; load1 ${load} before, ${os.loadavg()[0]!.toFixed(1)} after`);
  for (const s of result.servers)
    console.log(
      `${s.name}: ${s.perCpu.toFixed(0)}/CPU-s (${s.answered} answers, ${s.cpuSeconds.toFixed(1)} CPU-s, busy ${s.busy.toFixed(2)})`,
    );
  for (const [name, xs] of Object.entries(result.ratios))
    console.log(
      `${name} over ${xs.length} blocks: ${range(xs, 3)} (${xs.map((x) => x.toFixed(3)).join(' ')})`,
    );
  // Groups of processes of one code: A, A2, …; B, B2, …; bare, bare2, …
  const group = (name: string) => result.servers.filter((s) => s.name.replace(/\d+$/, '') === name);
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const compare = (top: string, bottom: string) => {
    const [t, u] = [group(top), group(bottom)];
    if (t.length === 0 || u.length === 0 || (t.length === 1 && u.length === 1)) return;
    const ratios = (u[0]?.blocks ?? []).map(
      (_, i) => mean(t.map((s) => s.blocks[i]!)) / mean(u.map((s) => s.blocks[i]!)),
    );
    const each = t.map((s) => (s.perCpu / mean(u.map((x) => x.perCpu))).toFixed(2)).join(' ');
    console.log(
      `${top}÷${bottom} (means of ${t.length} and ${u.length} processes) over blocks: ${range(ratios, 3)}; in all ${(mean(t.map((s) => s.perCpu)) / mean(u.map((s) => s.perCpu))).toFixed(3)} (each ${top} process: ${each})`,
    );
  };
  compare('B', 'A');
  for (const ref of refs) {
    compare('A', ref);
    compare('B', ref);
  }
}

async function rounds(targets: Target[], caFile: string): Promise<void> {
  console.log(
    `load before ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const t of targets) await measure(t, 'full handshake + GET', caFile);
  // The keep-alive path compiled before it is measured (as tls.bench.ts does).
  if (loads.includes('keep-alive GET'))
    for (const t of targets) if (t.name !== 'raw node:tls') await measure(t, 'keep-alive GET', caFile);
  const res = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]!);
    for (const load of loads)
      for (const t of order) {
        const s = await measure(t, load, caFile);
        const k = `${load}|${t.name}`;
        res.set(k, [...(res.get(k) ?? []), s.perCpu]);
        console.log(
          `r${r + 1} ${load} ${t.name}: ${s.rate.toFixed(0)}/s wall, ${s.perCpu.toFixed(0)}/CPU-s busy ${s.busy.toFixed(2)} failed ${s.failed} load1 ${os.loadavg()[0]!.toFixed(1)}`,
        );
      }
  }
  console.log(
    `load after ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(`${kind}, ${ROUNDS} rounds, per server CPU-s min/median/max`);
  for (const load of loads) {
    for (const t of targets) console.log(`${load} ${t.name}: ${range(res.get(`${load}|${t.name}`)!)}`);
    const b = res.get(`${load}|B`)!;
    const a = res.get(`${load}|A`);
    if (a)
      console.log(
        `${load} B/A: ${range(
          b.map((x, i) => x / a[i]!),
          2,
        )} (rounds ${b.map((x, i) => (x / a[i]!).toFixed(2)).join(' ')})`,
      );
    for (const ref of targets.map((t) => String(t.name)).filter((n) => n !== 'A' && n !== 'B')) {
      const base = res.get(`${load}|${ref}`)!;
      const per = (xs: number[]) => xs.map((x, i) => (x / base[i]!).toFixed(2)).join(' ');
      console.log(
        `${load} B/${ref}: ${range(
          b.map((x, i) => x / base[i]!),
          2,
        )} (rounds ${per(b)})${
          a
            ? `  A/${ref}: ${range(
                a.map((x, i) => x / base[i]!),
                2,
              )} (rounds ${per(a)})`
            : ''
        }`,
      );
    }
  }
}
