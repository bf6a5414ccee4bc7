import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestApp, login, multipart } from '../test/support/app.js';
import { TestPki } from '../test/support/pki.js';
import { quick, range, resultFile } from './support/stats.js';

/**
 * Import + full validation (detect, PFX decrypt, key pairing, chain build, path validation against the
 * Mozilla roots + the enterprise root, report) as a dry run through the real route (app.inject), against
 * the same job done by the openssl CLI: `openssl pkcs12 -nodes` + `openssl verify` (PFX), or
 * `openssl pkey` + `openssl verify` (PEM), run alternately. Server time per import; min / median / max and
 * p95 over RUNS. BENCH_QUICK=1: 3 runs (checks that it runs; the numbers mean nothing).
 * Run from the repository root: node --conditions=source --import tsx server/bench/import.bench.ts
 */

const RUNS = Number(process.env.IMPORT_BENCH_RUNS ?? (quick ? 3 : 40));

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: at(0.5), p95: at(0.95) };
}

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const pki = new TestPki();
const { app, close } = await createTestApp();
try {
  const s = await login(app);
  const rootCa = pki.root('Bench Root', { key: 'rsa2048' });
  const ica1 = pki.intermediate('Bench CA 1', rootCa, { key: 'rsa2048' });
  const ica2 = pki.intermediate('Bench CA 2', ica1, { key: 'rsa2048' });
  const leaf = pki.leaf('bench.example.test', ica2, { key: 'rsa2048' });
  const anchor = multipart([{ name: 'file', filename: 'root.pem', data: rootCa.certPem }]);
  const added = await app.inject({
    method: 'POST',
    url: '/api/trust-anchors',
    payload: anchor.payload,
    headers: { ...s.headers, ...anchor.headers },
  });
  if (added.statusCode !== 201) throw new Error(`trust anchor: ${added.body}`);

  const untrusted = pki.write('untrusted.pem', ica2.certPem + ica1.certPem);
  const cases: { name: string; parts: Parameters<typeof multipart>[0]; openssl: () => void }[] = [];
  for (const mode of ['modern', '3des'] as const) {
    // Three certificates in the PFX: leaf + 2 intermediates (the root stays out, as CAs ship them).
    const pfx = pki.pfx(leaf, [ica2, ica1], 'bench', mode);
    const pfxPath = pki.write(`bench-${mode}.pfx`, pfx);
    cases.push({
      name: `PFX ${mode === 'modern' ? 'AES-256 (OpenSSL 3 default)' : 'legacy 3DES/SHA-1'}, 3 certificates`,
      parts: [
        { name: 'file', filename: 'bench.pfx', data: pfx },
        { name: 'password', value: 'bench' },
        { name: 'dryRun', value: 'true' },
      ],
      openssl: () => {
        const pem = execFileSync('openssl', ['pkcs12', '-in', pfxPath, '-nodes', '-passin', 'pass:bench'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        fs.writeFileSync(pki.file('out.pem'), pem);
        execFileSync(
          'openssl',
          ['verify', '-CAfile', rootCa.certPath, '-untrusted', untrusted, leaf.certPath],
          { stdio: 'ignore' },
        );
      },
    });
  }
  cases.push({
    name: 'PEM certificate + key + 2 intermediates',
    parts: [
      { name: 'file', filename: 'server.crt', data: leaf.certPem },
      { name: 'file', filename: 'server.key', data: leaf.keyPem },
      { name: 'file', filename: 'ca.pem', data: ica2.certPem + ica1.certPem },
      { name: 'dryRun', value: 'true' },
    ],
    openssl: () => {
      execFileSync('openssl', ['pkey', '-in', leaf.keyPath, '-noout'], { stdio: 'ignore' });
      execFileSync(
        'openssl',
        ['verify', '-CAfile', rootCa.certPath, '-untrusted', untrusted, leaf.certPath],
        { stdio: 'ignore' },
      );
    },
  });

  const rows: string[] = [];
  const ratios: number[] = [];
  for (const c of cases) {
    const mp = multipart(c.parts);
    const inject = () =>
      app.inject({
        method: 'POST',
        url: '/api/certificates',
        payload: mp.payload,
        headers: { ...s.headers, ...mp.headers },
      });
    const warm = await inject();
    if (warm.statusCode !== 200) throw new Error(`${c.name}: ${warm.statusCode} ${warm.body}`);
    const ours: number[] = [];
    const ref: number[] = [];
    c.openssl();
    // Interleaved, so a burst of load from elsewhere on the machine hits both sides alike.
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      const res = await inject();
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.statusCode !== 200) throw new Error(`${c.name}: ${res.statusCode}`);
      ref.push(time(c.openssl));
    }
    const a = stats(ours);
    const b = stats(ref);
    ratios.push(a.median / b.median);
    rows.push(
      `| ${c.name} | ${range(ours, 1)} | ${a.p95.toFixed(1)} | ${range(ref, 1)} | ${b.p95.toFixed(1)} | ${(a.median / b.median).toFixed(2)} |`,
    );
    console.log(rows[rows.length - 1]);
  }
  const worst = Math.max(...ratios);
  const summary = `certdesk import + full validation (dry run, server time) takes at most ${worst.toFixed(2)}× the time of the openssl CLI doing the same job (${RUNS} runs each; median).`;
  const md = [
    '# Import benchmark',
    '',
    summary,
    '',
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${execFileSync('openssl', ['version']).toString().trim()}. Runs: ${RUNS} per case after one warm-up, certdesk and openssl alternately${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}.`,
    'certdesk: `POST /api/certificates` with `dryRun=true` through app.inject (multipart parse, format detection, PFX decrypt, key pairing + TLS context check, chain build, path validation against the Mozilla roots plus the enterprise root, report).',
    'openssl: `openssl pkcs12 -nodes` (PFX) or `openssl pkey -noout` (PEM key), then `openssl verify -CAfile root -untrusted intermediates leaf`; two processes per run.',
    '',
    '| Case | certdesk ms min / median / max | certdesk p95 ms | openssl ms min / median / max | openssl p95 ms | ratio (median) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const out = resultFile('import');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  console.log(summary);
} finally {
  await close();
  pki.cleanup();
}
