import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_PASSWORD, createTestApp } from '../test/support/app.js';
import { seedInventory } from '../test/support/inventory-seed.js';
import { makeLeaf } from '../test/support/seed.js';

/**
 * Load test: 50 concurrent signed-in clients over real HTTP mixing list, search, detail, dry-run import
 * and export for 60 s against a 10,000-certificate inventory. Reports errors, p50/p99 per operation and
 * RSS before/after. Run from the repository root: node --conditions=source --import tsx server/bench/load.bench.ts
 */
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const N = Number(process.env.LOAD_CERTS ?? 10_000);

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
    inv.certs[500]?.serialNumber.slice(0, 8) ?? 'x',
  ];
  const ops: Record<string, (s: { cookie: string; csrf: string }) => Promise<Response>> = {
    list: (s) =>
      fetch(
        `${base}/api/certificates?limit=50&offset=${Math.floor(Math.random() * 200) * 50}&sort=notAfter`,
        { headers: { cookie: s.cookie } },
      ),
    search: (s) =>
      fetch(
        `${base}/api/certificates?q=${encodeURIComponent(words[Math.floor(Math.random() * words.length)] as string)}${['', '&status=available', '&status=expired'][Math.floor(Math.random() * 3)]}`,
        { headers: { cookie: s.cookie } },
      ),
    detail: (s) =>
      fetch(`${base}/api/certificates/${inv.ids[Math.floor(Math.random() * inv.ids.length)]}`, {
        headers: { cookie: s.cookie },
      }),
    dryRunImport: (s) => {
      const f = new FormData();
      f.append('file', new Blob([leaf.cert.toString()]), 'server.crt');
      f.append('file', new Blob([leaf.key.export({ type: 'pkcs8', format: 'pem' }) as string]), 'server.key');
      f.append('file', new Blob([inv.pki.intermediate.cert.toString()]), 'intermediate.crt');
      f.append('dryRun', 'true');
      return fetch(`${base}/api/certificates`, {
        method: 'POST',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        body: f,
      });
    },
    export: (s) =>
      fetch(`${base}/api/certificates/${inv.ids[Math.floor(Math.random() * inv.ids.length)]}/export`, {
        method: 'POST',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ format: ['pem', 'fullchain', 'der', 'chain'][Math.floor(Math.random() * 4)] }),
      }),
  };
  const weights: [string, number][] = [
    ['list', 30],
    ['search', 25],
    ['detail', 20],
    ['dryRunImport', 10],
    ['export', 15],
  ];
  const pick = () => {
    let r = Math.random() * 100;
    for (const [name, w] of weights) {
      r -= w;
      if (r < 0) return name;
    }
    return 'list';
  };

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  const lat = new Map<string, number[]>();
  const errors: string[] = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    sessions.map(async (s) => {
      while (Date.now() < until) {
        const name = pick();
        const t = performance.now();
        try {
          const res = await (ops[name] as (s: { cookie: string; csrf: string }) => Promise<Response>)(s);
          await res.arrayBuffer();
          // A dry run of a good chain is 200; everything else here is a 2xx.
          if (res.status >= 300) errors.push(`${name} → ${res.status}`);
        } catch (err) {
          errors.push(`${name} → ${(err as Error).message}`);
        }
        const arr = lat.get(name) ?? [];
        arr.push(performance.now() - t);
        lat.set(name, arr);
      }
    }),
  );
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
  const out = path.resolve(import.meta.dirname, '../../bench/results/load.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    [
      '# Load test',
      '',
      summary,
      '',
      `Run ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs; server and clients in one process over real HTTP on 127.0.0.1 (client time included in latency).`,
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
