/** The results file of tls.bench.ts: headline, method, one table per key type, the swaps. */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Issued as Pem } from '../../test/support/pki.js';
import { CLIENT_CORE, run, SERVER_CORE } from './proc.js';
import { quick, range, spread } from './stats.js';
import {
  CONCURRENCY,
  KEEPALIVE_SECONDS,
  type Load,
  type Sample,
  SECONDS,
  type ServerName,
  SWAPS,
  type SwapResult,
} from './tls-measure.js';
import type { KeyKind } from './tls-servers.js';

const SERVERS: ServerName[] = ['certdesk', 'nginx', 'bare Fastify', 'raw node:tls'];

/** What makes the servers comparable, and what differs that the bench cannot align (measured below). */
const FAIRNESS = [
  "Like for like (checked 2026-11-27 with `openssl s_client -msg` and the client's own records, below): every server has the same chain (leaf + intermediate) and key, the same protocols, suites, suite order (server's) and groups (certdesk's options.ts; nginx was given them: with Mozilla's `ssl_prefer_server_ciphers off` it negotiated TLS_AES_256_GCM_SHA384 where the Node servers chose TLS_AES_128_GCM_SHA256). The client (Node's default groups) sends one X25519 key share and every server agrees X25519 (putting P-256 first on the server changes nothing: OpenSSL 3.0 takes a group the client sent a share for rather than ask for another).",
  "Session tickets after a full TLS 1.3 handshake: every server sends 2 (OpenSSL's default; Node has no setting for the number). nginx with `ssl_session_tickets off` sends 2 stateful ones (57-byte ids kept in its shared cache), Node 2 stateless ones (265 bytes, encrypted with the ticket keys). Not aligned because it does not matter: nginx with `ssl_session_tickets on` (stateless, like Node) measured 0.93 / 1.00 / 1.13× nginx with them off per CPU-s (min / median / max of 7 interleaved rounds, full handshake and + GET, RSA-2048), and a raw Node server with SSL_OP_NO_TICKET (stateful tickets, no cache) 0.91 / 1.02 / 1.38× the same server with stateless ones: both within the noise.",
  'The full-handshake client drops each connection right after its handshake (the server sees a reset, and Node builds an ECONNRESET error for it); closing with close_notify and FIN instead gave the raw Node server 0.69 / 0.76 / 1.10× nginx against 0.73 / 0.75 / 0.83× with the reset (3 interleaved rounds each, RSA-2048), so the abrupt close is kept: it favours neither.',
].join('\n\n');

export interface Report {
  kinds: KeyKind[];
  loads: Load[];
  rounds: number;
  /** `${kind}|${load}|${server}` → one sample per round. */
  results: Map<string, Sample[]>;
  seconds: number;
  loadBefore: number;
  loadAfter: number;
  swaps: SwapResult | null;
  leaves: Record<KeyKind, Pem>;
}

export async function renderReport(r: Report): Promise<string> {
  const get = (kind: KeyKind, load: Load, server: ServerName) =>
    r.results.get(`${kind}|${load}|${server}`) ?? [];
  /** certdesk ÷ reference per round (rounds are interleaved, so each ratio compares like with like). */
  const ratios = (
    kind: KeyKind,
    load: Load,
    ref: ServerName,
    field: 'perCpu' | 'rate',
    of: ServerName = 'certdesk',
  ) => {
    const a = get(kind, load, of);
    const b = get(kind, load, ref);
    if (!a.length || !b.length) return [];
    return a.map((s, i) => s[field] / (b[i]?.[field] ?? Number.NaN));
  };
  const lines = ['# TLS: certdesk HTTPS mode vs nginx and a bare Fastify app, measured on the server', ''];
  const med = (xs: number[]) => spread(xs).p50;
  const headline: string[] = [];
  if (r.loads.includes('full handshake')) {
    for (const kind of r.kinds) {
      headline.push(
        `${kind} full handshakes per server CPU-second: ${med(ratios(kind, 'full handshake', 'nginx', 'perCpu')).toFixed(2)}× nginx, ${med(ratios(kind, 'full handshake', 'bare Fastify', 'perCpu')).toFixed(2)}× bare Fastify (a raw node:tls server: ${med(ratios(kind, 'full handshake', 'nginx', 'perCpu', 'raw node:tls')).toFixed(2)}× nginx)`,
      );
    }
  }
  const kaKind = r.kinds[0]!;
  if (r.loads.includes('keep-alive GET')) {
    headline.push(
      `${kaKind} keep-alive /api/health per server CPU-second: ${med(ratios(kaKind, 'keep-alive GET', 'bare Fastify', 'perCpu')).toFixed(2)}× bare Fastify (target ≥ 0.8), ${med(ratios(kaKind, 'keep-alive GET', 'nginx', 'perCpu')).toFixed(2)}× nginx`,
    );
  }
  const swaps = r.swaps;
  const failedTotal = swaps ? swaps.swapErrors + swaps.during.errors + swaps.fresh.failed : 0;
  if (swaps) {
    headline.push(`${failedTotal} failed requests during ${SWAPS} certificate swaps under load (target 0)`);
  }
  lines.push(
    `**${headline.join('; ')}.** Medians of ${r.rounds} interleaved rounds; the spread is below.`,
    '',
  );
  const cases = process.env.BENCH_TLS_CASES
    ? ` Cases run (BENCH_TLS_CASES): ${process.env.BENCH_TLS_CASES}.`
    : '';
  lines.push(
    `Run ${new Date().toISOString()}${quick ? ' (BENCH_QUICK: a smoke run, not a measurement)' : ''}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${(await run('/usr/sbin/nginx', ['-v']).catch((e) => e)).stderr?.trim() ?? 'nginx'}, ${(await run('wrk', ['-v']).catch((e) => e)).stdout?.split('\n')[0]?.trim() ?? 'wrk'}. ` +
      `Servers pinned to core ${SERVER_CORE}, load generator to core ${CLIENT_CORE} (taskset). ${r.rounds} rounds × ${r.loads.length} loads × 4 servers (3 on keep-alive), ${SECONDS} s per handshake load, server order rotated each round; ${r.seconds.toFixed(0)} s in all; ` +
      `1-minute load average ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after (anything but this benchmark running on the machine shows in the spread).${cases}`,
    '',
    "Rates: **wall** = per second of the load (what the client saw); **per CPU-s** = per second of CPU the server process (and its children) spent, from /proc/<pid>/stat — the server's efficiency, whatever the client could send. **busy** = server CPU ÷ wall time (1.0: the server's core was saturated; below, the client was the limit). Each cell: min / median / max over the rounds.",
    '',
    `Loads: **full handshake** — TLS 1.3, a new connection each, no session offered, closed after the handshake (tls-client.mjs, ${CONCURRENCY} concurrent, one secure context reused); **full handshake + GET** — the same plus one GET /api/health; **resumed handshake** — each client offers the last session ticket it got (the Node servers: stateless tickets; nginx: Mozilla settings, tickets off, its shared session cache); **keep-alive GET** — wrk -t1 -c20 for ${KEEPALIVE_SECONDS} s on /api/health. Full / resumed: handshakes the client counted of each kind. Before the rounds, every server gets one uncounted run of the handshake + GET load and one of keep-alive (V8 compiles the request path in its first seconds).`,
    '',
    "Servers: certdesk at log level info (one access line per request, to a file); nginx 1 worker, Mozilla intermediate with certdesk's suites and their order (below), access log to a file (unbuffered, its default), keepalive_requests raised (nginx closes keep-alive connections after 1000 requests by default, Node never does); bare Fastify: no logger, certdesk's TLS options; raw node:tls: `tls.createServer` with certdesk's TLS options and no HTTP layer, one fixed answer written by hand and the connection ended (the floor any Node HTTPS server pays; no keep-alive, so not on that load).",
    '',
    FAIRNESS,
    '',
  );
  for (const kind of r.kinds) {
    lines.push(
      `## ${kind}`,
      '',
      '| load | server | wall /s | per CPU-s | busy | full / resumed | tickets / handshake | failed |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const load of r.loads) {
      for (const server of SERVERS) {
        const ss = get(kind, load, server);
        if (!ss.length) continue;
        const sum = (f: (s: Sample) => number) => ss.reduce((a, s) => a + f(s), 0);
        const handshakes = sum((s) => s.full + s.resumed);
        const tickets =
          load === 'full handshake + GET' ? (sum((s) => s.tickets) / handshakes).toFixed(2) : '—';
        lines.push(
          `| ${load} | ${server} | ${range(ss.map((s) => s.rate))} | ${range(ss.map((s) => s.perCpu))} | ${med(ss.map((s) => s.busy)).toFixed(2)} | ${load === 'keep-alive GET' ? '—' : `${sum((s) => s.full)} / ${sum((s) => s.resumed)}`} | ${tickets} | ${sum((s) => s.failed)} |`,
        );
      }
    }
    lines.push(
      '',
      '| load | certdesk ÷ nginx per CPU-s | certdesk ÷ bare Fastify per CPU-s | certdesk ÷ raw node:tls per CPU-s | raw node:tls ÷ nginx per CPU-s | certdesk ÷ nginx wall |',
      '|---|---:|---:|---:|---:|---:|',
    );
    const r2 = (xs: number[]) => (xs.length ? range(xs, 2) : '—');
    for (const load of r.loads) {
      lines.push(
        `| ${load} | ${r2(ratios(kind, load, 'nginx', 'perCpu'))} | ${r2(ratios(kind, load, 'bare Fastify', 'perCpu'))} | ${r2(ratios(kind, load, 'raw node:tls', 'perCpu'))} | ${r2(ratios(kind, load, 'nginx', 'perCpu', 'raw node:tls'))} | ${r2(ratios(kind, load, 'nginx', 'rate'))} |`,
      );
    }
    const negotiated = SERVERS.map((server) => {
      const seen = new Set(
        r.loads
          .filter((l) => l !== 'keep-alive GET')
          .flatMap((l) => get(kind, l, server).map((s) => s.negotiated))
          .filter((n) => n !== null),
      );
      return `${server}: ${[...seen].join(', ') || '—'}`;
    });
    lines.push('', `Negotiated (client's first handshake of each load): ${negotiated.join('; ')}.`, '');
  }
  const errors = [...r.results.values()].flat().flatMap((s) => s.errors);
  if (swaps) {
    const lastOk =
      swaps.served.thumbprint ===
      crypto.createHash('sha1').update(r.leaves[swaps.lastKind].cert.raw).digest('hex').toUpperCase();
    lines.push(
      `## ${SWAPS} certificate swaps under load (certdesk, RSA-2048 ↔ ECDSA P-256)`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| swaps (PUT 202 + confirm 200 over HTTPS), failed | ${SWAPS}, ${swaps.swapErrors} |`,
      `| time for all swaps | ${swaps.seconds.toFixed(1)} s |`,
      `| keep-alive load during swaps (wrk -c20): requests, errors | ${swaps.during.requests}, ${swaps.during.errors} |`,
      `| new-connection load during swaps (4 concurrent): requests ok, failed | ${swaps.fresh.done}, ${swaps.fresh.failed} |`,
      `| **failed requests in total** | **${failedTotal}** |`,
      `| new connections serve the last swapped certificate | ${lastOk ? 'yes' : 'NO'} |`,
      '',
    );
  }
  if (errors.length) lines.push(`First client errors: ${[...new Set(errors)].slice(0, 5).join('; ')}`);
  return `${lines.join('\n').trimEnd()}\n`;
}
