/**
 * One measurement of tls.bench.ts: a load run against one server from the client core, and the server's
 * CPU time over it (/proc/<pid>/stat); and the certificate swaps under load.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from '../../test/support/tls-seed.js';
import { CLIENT_CORE, cpuSeconds, parseWrk, run, spawnPinned } from './proc.js';
import { quick } from './stats.js';
import { type Certdesk, certdeskRequest, type KeyKind } from './tls-servers.js';

const CLIENT = path.join(import.meta.dirname, '..', 'tls-client.mjs');
export const SECONDS = Number(process.env.BENCH_TLS_SECONDS ?? (quick ? 1 : 4));
/** wrk opens its 20 connections (20 full handshakes) inside the window: a longer window dilutes them. */
export const KEEPALIVE_SECONDS = quick ? SECONDS : Math.max(8, SECONDS * 2);
export const CONCURRENCY = 16;
export const SWAPS = quick ? 6 : 50;

export type ServerName = 'certdesk' | 'nginx' | 'bare Fastify' | 'raw node:tls' | 'bare Fastify cluster';
export type Load = 'full handshake' | 'full handshake + GET' | 'resumed handshake' | 'keep-alive GET';

export interface Target {
  name: ServerName;
  port: number;
  pid: number;
}

export interface Sample {
  rate: number;
  perCpu: number;
  busy: number;
  full: number;
  resumed: number;
  /** NewSessionTicket messages the client received (counted on the "+ GET" load only). */
  tickets: number;
  /** Protocol, cipher and key-exchange group of the client's first handshake. */
  negotiated: string | null;
  failed: number;
  errors: string[];
}

async function clientRun(target: Target, args: string[], caFile: string) {
  const { stdout } = await run(
    'taskset',
    [
      '-c',
      String(CLIENT_CORE),
      process.execPath,
      CLIENT,
      args[0]!,
      '127.0.0.1',
      String(target.port),
      'localhost',
      caFile,
      ...args.slice(1),
    ],
    { timeout: (SECONDS + 60) * 1000 },
  );
  return JSON.parse(stdout) as {
    done: number;
    failed: number;
    full: number;
    resumed: number;
    tickets: number;
    negotiated: string | null;
    seconds: number;
    errors: string[];
  };
}

export async function measure(target: Target, load: Load, caFile: string): Promise<Sample> {
  const cpuBefore = cpuSeconds(target.pid);
  let done: number;
  let seconds: number;
  let extra: Pick<Sample, 'full' | 'resumed' | 'tickets' | 'negotiated' | 'failed' | 'errors'>;
  if (load === 'keep-alive GET') {
    const { stdout } = await run(
      'taskset',
      [
        '-c',
        String(CLIENT_CORE),
        'wrk',
        '-t1',
        '-c20',
        `-d${KEEPALIVE_SECONDS}s`,
        `https://localhost:${target.port}/api/health`,
      ],
      { timeout: (SECONDS + 60) * 1000 },
    );
    const w = parseWrk(stdout);
    done = w.requests;
    seconds = w.rps > 0 ? w.requests / w.rps : KEEPALIVE_SECONDS;
    extra = { full: 0, resumed: 0, tickets: 0, negotiated: null, failed: w.errors, errors: [] };
  } else {
    const mode = load === 'resumed handshake' ? 'resumed' : 'full';
    const args = [
      mode,
      String(SECONDS),
      String(CONCURRENCY),
      ...(load === 'full handshake + GET' ? ['get'] : []),
    ];
    const r = await clientRun(target, args, caFile);
    done = r.done;
    seconds = r.seconds;
    extra = {
      full: r.full,
      resumed: r.resumed,
      tickets: r.tickets,
      negotiated: r.negotiated,
      failed: r.failed,
      errors: r.errors,
    };
  }
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  // busy over the load's own duration: the client's start-up, when the server idles, is left out.
  return { rate: done / seconds, perCpu: cpu > 0 ? done / cpu : 0, busy: cpu / seconds, ...extra };
}

export interface SwapResult {
  swapErrors: number;
  seconds: number;
  during: ReturnType<typeof parseWrk>;
  fresh: { done: number; failed: number; errors: string[] };
  lastKind: KeyKind;
  served: Awaited<ReturnType<typeof request>>;
}

/** SWAPS certificate swaps (PUT 202 + confirm 200 over HTTPS) under keep-alive and new-connection load. */
export async function swapsUnderLoad(
  cd: Certdesk,
  children: ChildProcess[],
  caFile: string,
  served: KeyKind,
): Promise<SwapResult> {
  const loader = fork(CLIENT, ['requests', '127.0.0.1', String(cd.httpsPort), 'localhost', caFile, '4'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(loader);
  await new Promise((r) => loader.once('message', r));
  // wrk runs until this script stops it (SIGINT makes it print its summary).
  const wrkChild = spawnPinned(
    CLIENT_CORE,
    'wrk',
    ['-t1', '-c20', '-d3600s', `https://localhost:${cd.httpsPort}/api/health`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(wrkChild);
  let wrkOut = '';
  wrkChild.stdout!.on('data', (c) => {
    wrkOut += c;
  });
  const wrkDone = new Promise<void>((r) => wrkChild.once('close', () => r()));
  await sleep(500);
  let swapErrors = 0;
  const t0 = Date.now();
  // Each swap changes the certificate: the first goes to the one not served now.
  const kinds: KeyKind[] = served === 'RSA-2048' ? ['ECDSA P-256', 'RSA-2048'] : ['RSA-2048', 'ECDSA P-256'];
  for (let i = 0; i < SWAPS; i++) {
    const r1 = await certdeskRequest(cd, '/api/settings/server', 'PUT', {
      activeCertificateId: cd.ids[kinds[i % 2]!],
    });
    const r2 = await certdeskRequest(cd, '/api/settings/server/confirm', 'POST');
    if (r1.status !== 202 || r2.status !== 200) swapErrors++;
  }
  const seconds = (Date.now() - t0) / 1000;
  const loaderResult = new Promise<SwapResult['fresh']>((r) => loader.once('message', (m) => r(m as never)));
  loader.send('stop');
  wrkChild.kill('SIGINT');
  await wrkDone;
  const during = parseWrk(wrkOut);
  const fresh = await loaderResult;
  const lastKind = kinds[(SWAPS - 1) % 2]!;
  const answer = await request(`https://localhost:${cd.httpsPort}/api/health`, {
    ca: cd.caPem,
    servername: 'localhost',
  });
  return { swapErrors, seconds, during, fresh, lastKind, served: answer };
}
