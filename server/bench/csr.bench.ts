import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TlsPki } from '../test/support/tls-seed.js';
import { freePort, stop, waitForPort } from './support/proc.js';
import { quick, range, resultFile, spread } from './support/stats.js';

/**
 * CSR generation through the real HTTP API against `openssl req -newkey`, and /api/health latency while
 * four RSA-4096 keys are generated and two costly PFX files are read at once (issue 15: key generation and key
 * derivation must stay off the event loop). The server runs in its own process at the production log
 * level; its own time per request comes from its access log (`ms`), beside the time the client saw.
 * RSA key generation time is random (prime search): every figure is min / median / max, never one number.
 * The server is not pinned: it uses both cores, as in production (the thread pool must have a core the
 * event loop does not need).
 * BENCH_QUICK=1: 3 runs per key kind, 2 rounds (checks that it runs; the numbers mean nothing).
 * Run from the repository root: node --conditions=source --import tsx server/bench/csr.bench.ts
 */

const RUNS = Number(process.env.CSR_BENCH_RUNS ?? (quick ? 3 : 20));
const RUNS_4096 = Number(process.env.CSR_BENCH_RUNS_4096 ?? (quick ? 1 : 8));
const ROUNDS = Math.max(quick ? 1 : 5, Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 7)));
/**
 * The PFX files read in each round, both dry runs: what OpenSSL 3 writes by default (AES-256-CBC, PBKDF2
 * with HMAC-SHA256, SHA-256 MAC) at 600,000 iterations (OWASP's PBKDF2-SHA256 advice, Firefox): the key
 * and certificate bags cost 600,000 PBKDF2 iterations each and the MAC 600,000 PKCS#12 KDF iterations,
 * computed in JavaScript; and a legacy one (3DES, SHA-1 MAC) at 16,000 PKCS#12 KDF iterations.
 */
const PFX_KINDS = [
  {
    name: 'PBKDF2 600,000',
    iterations: 600_000,
    pbe: ['-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256'],
  },
  {
    name: 'legacy 3DES 16,000',
    iterations: 16_000,
    pbe: ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
  },
] as const;
const PASSWORD = 'bench password for csr';
const root = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-csr-'));
const logFile = path.join(work, 'certdesk.log');
/** The server's event-loop delay, measured inside it (support/eld-probe.ts): one JSON line per signal. */
const eldFile = path.join(work, 'eld.jsonl');
/** CSR_BENCH_CPU_PROF=<dir>: the server writes a CPU profile there at exit (to find what holds up the loop). */
const cpuProf = process.env.CSR_BENCH_CPU_PROF;

async function startServer(): Promise<{ base: string; child: ChildProcess }> {
  const [http, https] = [await freePort(), await freePort()];
  const log = fs.openSync(logFile, 'w');
  const args = ['--conditions=source', '--import', 'tsx', '--import', './server/bench/support/eld-probe.ts'];
  if (cpuProf) args.push('--cpu-prof', `--cpu-prof-dir=${cpuProf}`);
  const child = spawn(process.execPath, [...args, 'server/src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      CERTDESK_BENCH_ELD_FILE: eldFile,
      CERTDESK_DATA_DIR: path.join(work, 'data'),
      CERTDESK_HOST: '127.0.0.1',
      CERTDESK_HTTP_PORT: String(http),
      CERTDESK_HTTPS_PORT: String(https),
      CERTDESK_ADMIN_PASSWORD: PASSWORD,
      CERTDESK_LOG_LEVEL: 'info',
      CERTDESK_WEB_DIST: '/nonexistent',
    },
    stdio: ['ignore', log, 'inherit'],
  });
  await waitForPort(http, child, 60);
  return { base: `http://127.0.0.1:${http}`, child };
}

async function signIn(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

interface Kind {
  name: string;
  body: Record<string, unknown>;
  newkey: string[];
  runs: number;
}
const KINDS: Kind[] = [
  { name: 'RSA-2048', body: { keyType: 'rsa', keySize: 2048 }, newkey: ['-newkey', 'rsa:2048'], runs: RUNS },
  {
    name: 'ECDSA P-256',
    body: { keyType: 'ec', curve: 'P-256' },
    newkey: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    runs: RUNS,
  },
  {
    name: 'RSA-4096',
    body: { keyType: 'rsa', keySize: 4096 },
    newkey: ['-newkey', 'rsa:4096'],
    runs: RUNS_4096,
  },
];

/** A CSR through the API, timed as the client sees it. */
async function timeCertdesk(base: string, headers: Record<string, string>, body: Record<string, unknown>) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/csrs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ commonName: 'bench.example.com', ...body }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`POST /api/csrs → ${res.status} ${text}`);
  return ms;
}

async function timeOpenssl(newkey: string[]): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const p = spawn('openssl', ['req', ...newkey, '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    p.stdout.resume();
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`openssl exited ${code}`))));
  });
  return performance.now() - t0;
}

/** The server's own times of its POST /api/csrs answers, in the order they finished. */
function serverTimes(): number[] {
  return fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"url":"/api/csrs"') && l.includes('"method":"POST"'))
    .map((l) => (JSON.parse(l) as { ms: number }).ms);
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/** The PFX files of PFX_KINDS, around one leaf and its chain. */
function costlyPfx(): { pfx: Buffer[]; rootPem: string } {
  const pki = new TlsPki();
  try {
    const leaf = pki.leaf(['pfx.example.com']);
    const file = (name: string, body: string) => {
      fs.writeFileSync(path.join(work, name), body);
      return path.join(work, name);
    };
    const pfx = PFX_KINDS.map((kind, i) => {
      const out = path.join(work, `costly-${i}.pfx`);
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-inkey',
        file('pfx.key', leaf.keyPem),
        '-in',
        file('pfx.crt', leaf.certPem),
        '-certfile',
        file('pfx-chain.crt', pki.intermediate.certPem),
        '-passout',
        'pass:bench',
        ...kind.pbe,
        '-iter',
        String(kind.iterations),
        '-out',
        out,
      ]);
      return fs.readFileSync(out);
    });
    return { pfx, rootPem: pki.root.certPem };
  } finally {
    pki.cleanup();
  }
}

async function readPfx(base: string, headers: Record<string, string>, pfx: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(pfx)]), 'costly.pfx');
  form.append('password', 'bench');
  form.append('dryRun', 'true');
  const t0 = performance.now();
  const res = await fetch(`${base}/api/certificates`, {
    method: 'POST',
    headers: { cookie: headers.cookie!, 'x-csrf-token': headers['x-csrf-token']! },
    body: form,
  });
  const body = await res.text();
  return {
    status: res.status,
    ms: performance.now() - t0,
    code: res.ok ? '' : ((JSON.parse(body) as { code?: string }).code ?? ''),
  };
}

interface Eld {
  p50: number;
  p99: number;
  max: number;
  stalls: number;
  longest: Stall[];
  busiest: Stall[];
}
/** A gap in the server's event loop: `cpu` ms its main thread ran (its own code), `wait` ms it waited for a core. */
interface Stall {
  ms: number;
  cpu: number;
  wait: number;
  at: number;
}
const stallText = (x: Stall) => `${fmt(x.ms)} (ran ${fmt(x.cpu)})`;

/** Asks the server's probe for the event-loop delay since the last ask; waits for its line. */
async function eldMark(child: ChildProcess): Promise<Eld> {
  const before = fs.existsSync(eldFile) ? fs.readFileSync(eldFile, 'utf8').split('\n').length : 0;
  child.kill('SIGUSR2');
  for (let i = 0; i < 200; i++) {
    const lines = fs.existsSync(eldFile) ? fs.readFileSync(eldFile, 'utf8').split('\n') : [];
    if (lines.length > before) return JSON.parse(lines[lines.length - 2] as string) as Eld;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the event-loop probe did not answer');
}

interface Round {
  eld?: Eld;
  latencies: number[];
  wallMs: number;
  csrMs: number[];
  pfx: { status: number; ms: number }[];
}

/** /api/health every ~5 ms (not waiting for the previous one) while the work runs, or for idleMs. */
async function healthDuring(base: string, work: () => Promise<Omit<Round, 'latencies' | 'wallMs'>>) {
  const latencies: number[] = [];
  let done = false;
  const started = performance.now();
  const load = work().finally(() => {
    done = true;
  });
  const inflight: Promise<void>[] = [];
  // Bounded: at most 120 s of probing, whatever happens to the load.
  for (let i = 0; !done && i < 24_000; i++) {
    const t0 = performance.now();
    inflight.push(
      fetch(`${base}/api/health`).then(async (r) => {
        await r.text();
        latencies.push(performance.now() - t0);
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
  }
  const result = await load;
  await Promise.all(inflight);
  return { ...result, latencies, wallMs: performance.now() - started };
}

const benchStart = Date.now();
const loadBefore = os.loadavg()[0] ?? 0;
const { pfx, rootPem } = costlyPfx();
const { base, child } = await startServer();
try {
  const headers = await signIn(base);
  // Warm-up: module loading and the first WebCrypto import are not what is measured.
  await timeCertdesk(base, headers, { keyType: 'ec', curve: 'P-256' });
  await timeOpenssl(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  // The PFX's root is an enterprise root here, so the dry run passes every check (200).
  const anchor = new FormData();
  anchor.append('file', new Blob([rootPem]), 'root.pem');
  const added = await fetch(`${base}/api/trust-anchors`, {
    method: 'POST',
    headers: { cookie: headers.cookie!, 'x-csrf-token': headers['x-csrf-token']! },
    body: anchor,
  });
  if (added.status !== 201) throw new Error(`trust anchor: ${added.status} ${await added.text()}`);
  for (const [i, file] of pfx.entries()) {
    const warm = await readPfx(base, headers, file);
    if (warm.status !== 200)
      throw new Error(`the ${PFX_KINDS[i]!.name} PFX was refused: ${warm.status} ${warm.code}`);
  }

  const measured: { kind: Kind; ours: number[]; theirs: number[]; firstLogLine: number }[] = [];
  for (const kind of KINDS) {
    const ours: number[] = [];
    const theirs: number[] = [];
    const firstLogLine = 1 + measured.reduce((n, m) => n + m.ours.length, 0);
    // Interleaved, so a burst of load from elsewhere on the machine hits both sides alike.
    for (let i = 0; i < kind.runs; i++) {
      ours.push(await timeCertdesk(base, headers, kind.body));
      theirs.push(await timeOpenssl(kind.newkey));
    }
    measured.push({ kind, ours, theirs, firstLogLine });
    console.log(`${kind.name}: certdesk ${range(ours)} ms, openssl ${range(theirs)} ms (min / median / max)`);
  }

  // What a request costs without any crypto: HTTP, session, one SQLite commit (WAL, synchronous=NORMAL) and audit.
  // Deleting a token is that; creating one is not (it checks the account password, an argon2 hash).
  const tokenIds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const res = await fetch(`${base}/api/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `bench ${i}`, password: PASSWORD }),
    });
    if (res.status !== 201) throw new Error(`POST /api/tokens → ${res.status}`);
    tokenIds.push(((await res.json()) as { id: number }).id);
  }
  const baseline: number[] = [];
  const { 'content-type': _json, ...bodyless } = headers;
  for (const id of tokenIds) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/tokens/${id}`, { method: 'DELETE', headers: bodyless });
    await res.text();
    if (res.status !== 204) throw new Error(`DELETE /api/tokens/${id} → ${res.status}`);
    baseline.push(performance.now() - t0);
  }

  await eldMark(child);
  const idle: Round = await healthDuring(base, async () => {
    await new Promise((r) => setTimeout(r, 3000));
    return { csrMs: [], pfx: [] };
  });
  idle.eld = await eldMark(child);
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await eldMark(child);
    const round: Round = await healthDuring(base, async () => {
      const [csrMs, pfxRead] = await Promise.all([
        Promise.all(
          Array.from({ length: 4 }, () => timeCertdesk(base, headers, { keyType: 'rsa', keySize: 4096 })),
        ),
        Promise.all(pfx.map((file) => readPfx(base, headers, file))),
      ]);
      return { csrMs, pfx: pfxRead };
    });
    round.eld = await eldMark(child);
    rounds.push(round);
    const s = spread(round.latencies);
    const e = round.eld;
    console.log(
      `round ${r + 1}: health p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms over ${s.n} requests; ` +
        `event-loop delay p99 ${fmt(e.p99)} ms, max ${fmt(e.max)} ms, ${e.stalls} stalls ≥ 5 ms; longest ${e.longest.slice(0, 4).map(stallText).join(', ')}; ` +
        `most own work ${e.busiest.slice(0, 4).map(stallText).join(', ')}`,
    );
  }

  // The server's own times, from its access log (written out at shutdown).
  await stop(child);
  const server = serverTimes();
  const ratios: string[] = [];
  const rows = measured.map(({ kind, ours, theirs, firstLogLine }) => {
    const own = server.slice(firstLogLine, firstLogLine + kind.runs);
    const ratio = spread(ours).p50 / spread(theirs).p50;
    ratios.push(`${kind.name} ${ratio.toFixed(2)}×`);
    return `| ${kind.name} | ${kind.runs} | ${range(ours, 1)} | ${own.length === kind.runs ? range(own, 1) : 'n/a'} | ${range(theirs, 1)} | **${ratio.toFixed(2)}** |`;
  });
  const p99s = rounds.map((r) => spread(r.latencies).p99);
  const worst = Math.max(...p99s);
  const verdict = worst < 20 ? 'meets' : 'MISSES';
  const loadAfter = os.loadavg()[0] ?? 0;
  const seconds = ((Date.now() - benchStart) / 1000).toFixed(0);
  const idleS = spread(idle.latencies);
  const out = resultFile('csr');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `# CSR generation\n\n` +
      `**certdesk/openssl median ratio: ${ratios.join(', ')}; /api/health p99 while 4 RSA-4096 CSRs are made and two costly PFX files are read: ${range(p99s, 1)} ms (min / median / max of ${ROUNDS} rounds; worst ${fmt(worst)} ms ${verdict} the < 20 ms target in every round).**\n\n` +
      `Run ${new Date().toISOString()}${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; whole run ${seconds} s; ` +
      `1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (anything above the core count means ` +
      `other processes competed for the CPU, which shows up directly in the latency tail).\n\n` +
      `## POST /api/csrs vs \`openssl req -newkey … -nodes -keyout /dev/null -subj /CN=x\`\n\n` +
      `certdesk: a signed-in \`fetch\` to a real listener on 127.0.0.1 (server in its own process, log level info), timed from request to the end of the ` +
      `201 body — key generation, CSR signing, sealing the key (AES-256-GCM), one SQLite transaction, audit; "server" is the time the server ` +
      `itself logged for the request. openssl: the CLI process, start to exit, run alternately with certdesk the same number of times. ` +
      `Milliseconds, min / median / max: RSA key generation time varies a lot from key to key (prime search).\n\n` +
      `| key | runs | certdesk (client) | certdesk (server) | openssl | ratio of medians certdesk/openssl |\n` +
      `| --- | --- | --- | --- | --- | --- |\n` +
      `${rows.join('\n')}\n\n` +
      `Baseline without crypto: \`DELETE /api/tokens/:id\` (HTTP, session, one SQLite commit in WAL mode, audit): ${range(baseline, 1)} ms over ${RUNS} runs.\n\n` +
      `## /api/health while 4 RSA-4096 CSRs are generated and costly PFX files are read\n\n` +
      `Each round: four \`POST /api/csrs\` (RSA-4096) and a dry-run import (\`POST /api/certificates\`, dryRun) of each of two PFX files, all at once: ` +
      `${PFX_KINDS.map((k) => k.name).join(' and ')} iterations (OpenSSL 3's default format at OWASP's PBKDF2-SHA256 count, its MAC derived with the PKCS#12 KDF at the same count; ` +
      `and the legacy 3DES/SHA-1 format); a health request sent every ~5 ms (not waiting for the previous one) until all six answered. ` +
      `Target: p99 < 20 ms in every round. ${os.cpus().length} cores: RSA key generation (with its CSR) and key derivation run in one pool of ` +
      `low-priority worker threads (at most cores − 1 per kind of job and cores in all, server/src/compute/crypto-pool.ts, at the lowest OS priority), so the event loop gets a core whenever it wants one.\n\n` +
      `"loop p99 / max" is the server's event-loop delay over the round, measured inside it (perf_hooks.monitorEventLoopDelay, ` +
      `bench/support/eld-probe.ts), less sensitive to other processes than the client's figures; "own stall ms" is the most CPU time ` +
      `the server's main thread spent inside one stall (its own code holding the loop, not waiting for a core).\n\n` +
      `| round | requests | p50 ms | p99 ms | max ms | loop p99 / max ms | own stall ms | CSRs ms (min / median / max) | ${PFX_KINDS.map((k) => `PFX ${k.name} ms (status)`).join(' | ')} |\n| --- | --- | --- | --- | --- | --- | --- | --- | ${PFX_KINDS.map(() => '---').join(' | ')} |\n` +
      rounds
        .map((r, i) => {
          const s = spread(r.latencies);
          const e = r.eld;
          return `| ${i + 1} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${e ? `${fmt(e.p99)} / ${fmt(e.max)}` : 'n/a'} | ${e?.busiest[0] ? fmt(e.busiest[0].cpu) : '0'} | ${range(r.csrMs)} | ${r.pfx.map((x) => `${fmt(x.ms)} (${x.status})`).join(' | ')} |`;
        })
        .join('\n') +
      `\n\nControl, the same probing for 3 s with nothing else running: ${idleS.n} requests, p50 ${fmt(idleS.p50)} ms, ` +
      `p99 ${fmt(idleS.p99)} ms, max ${fmt(idleS.max)} ms; event-loop delay p99 ${fmt(idle.eld?.p99 ?? Number.NaN)} ms, max ${fmt(idle.eld?.max ?? Number.NaN)} ms. When the control's tail is already high, the machine ` +
      `(other processes) is what delays requests, not certdesk's key work.\n`,
  );
  console.log(`→ ${out}`);
} finally {
  await stop(child);
  fs.rmSync(work, { recursive: true, force: true });
}
