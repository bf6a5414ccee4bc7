import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ADMIN_PASSWORD, createTestApp } from '../test/support/app.js';
import { seedInventory } from '../test/support/inventory-seed.js';
import { makeLeaf } from '../test/support/pki.js';
import { quick, resultFile } from './support/stats.js';

/**
 * Load test: 50 concurrent signed-in clients over real HTTP mixing list, search, detail, dry-run import
 * and export for 60 s against a 10,000-certificate inventory. Reports errors, p50/p99 per operation and
 * RSS before/after. Run from the repository root: node --conditions=source --import tsx server/bench/load.bench.ts
 */
/** What the client worker (load-clients.mjs) is given. */
interface LoadPlan {
  base: string;
  seconds: number;
  sessions: { cookie: string; csrf: string }[];
  ids: number[];
  words: string[];
  importFiles: { name: string; text: string }[];
}

// BENCH_QUICK=1: 5 clients, 3 s, 500 certificates (checks that it runs; the numbers mean nothing).
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? (quick ? 5 : 50));
const SECONDS = Number(process.env.LOAD_SECONDS ?? (quick ? 3 : 60));
const N = Number(process.env.LOAD_CERTS ?? (quick ? 500 : 10_000));

const { app, close } = await createTestApp({ CERTDESK_LOG_LEVEL: 'warn' });
try {
  const inv = await seedInventory(app, N);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // The dry-run import: a fresh leaf + key + intermediate under a trusted root.
  const leaf = await makeLeaf(inv.pki.intermediate, { cn: 'load.example.com', notAfterDays: 90 });
  const anchor = new FormData();
  anchor.append('file', new Blob([inv.pki.root.cert.toString()]), 'root.pem');

  const sessions = [] as { cookie: string; csrf: string }[];
  for (let i = 0; i < CLIENTS; i++) {
    const r = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    sessions.push({
      cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] as string,
      csrf: ((await r.json()) as { csrfToken: string }).csrfToken,
    });
  }
  const s0 = sessions[0] as { cookie: string; csrf: string };
  await fetch(`${base}/api/trust-anchors`, {
    method: 'POST',
    headers: { cookie: s0.cookie, 'x-csrf-token': s0.csrf },
    body: anchor,
  });

  const words = [
    'portal',
    'api12',
    'example.org',
    'vpn',
    'contoso',
    'mail77',
    'acme.test',
    inv.cert(Math.min(500, inv.count - 1)).serialNumber.slice(0, 8),
  ];
  const plan: LoadPlan = {
    base,
    seconds: SECONDS,
    sessions,
    ids: inv.ids,
    words,
    importFiles: [
      { name: 'server.crt', text: leaf.cert.toString() },
      { name: 'server.key', text: leaf.key.export({ type: 'pkcs8', format: 'pem' }) as string },
      { name: 'intermediate.crt', text: inv.pki.intermediate.cert.toString() },
    ],
  };

  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  // Clients in a worker thread: the server's event loop serves, it does not also play the clients.
  const worker = new Worker(new URL('./load-clients.mjs', import.meta.url), { workerData: plan });
  const result = await new Promise<{ latencies: Record<string, number[]>; errors: string[] }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  await worker.terminate();
  const lat = new Map(Object.entries(result.latencies));
  const errors = result.errors;
  clearInterval(sampler);
  const rssAfter = process.memoryUsage().rss;

  const q = (a: number[], p: number) => a[Math.min(a.length - 1, Math.floor(p * a.length))] as number;
  const all = [...lat.values()].flat().sort((a, b) => a - b);
  const rows = [...lat.entries()].map(([name, arr]) => {
    arr.sort((a, b) => a - b);
    return `| ${name} | ${arr.length} | ${q(arr, 0.5).toFixed(1)} | ${q(arr, 0.99).toFixed(1)} |`;
  });
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  const summary = `**${all.length} requests in ${SECONDS} s (${(all.length / SECONDS).toFixed(0)}/s) from ${CLIENTS} clients against ${N} certificates: ${errors.length} errors; p50 ${q(all, 0.5).toFixed(1)} ms, p99 ${q(all, 0.99).toFixed(1)} ms; RSS ${mb(rssBefore)} → ${mb(rssAfter)} MiB (peak ${mb(rssPeak)}).**`;
  const out = resultFile('load');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    [
      '# Load test',
      '',
      summary,
      '',
      `Run ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs; server in the main thread, the clients in a worker thread of the same process, over real HTTP on 127.0.0.1 (latency as the clients see it).`,
      `Seeding: ${inv.generateSeconds.toFixed(1)} s to generate, ${inv.insertSeconds.toFixed(1)} s to insert.`,
      '',
      '| operation | requests | p50 ms | p99 ms |',
      '|---|---:|---:|---:|',
      ...rows,
      '',
      errors.length
        ? `## Errors (first 20)\n\n${errors
            .slice(0, 20)
            .map((e) => `- ${e}`)
            .join('\n')}\n`
        : 'No errors.\n',
    ].join('\n'),
  );
  console.log(summary);
  if (errors.length) process.exitCode = 1;
} finally {
  await close();
}
