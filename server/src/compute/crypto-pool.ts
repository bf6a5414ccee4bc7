import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CertError } from '../cert/errors.js';
import type { KdfRequest } from '../cert/kdf.js';
import type { KeygenJob, KeygenResult, RsaKeygen } from '../cert/keygen.js';
import { KDF_TIME_LIMIT_MS, KdfFailed, type KdfRunner } from '../cert/pbe.js';

/**
 * One small pool of low-priority worker threads for the costly crypto certdesk runs on request:
 * password-based key derivation (a PFX or key file chooses its own iteration counts) and RSA key
 * generation with its CSR (seconds of prime search for RSA-4096). Here that work costs a worker, never
 * the event loop, and the workers only get the CPU the event loop leaves (crypto-worker.ts). Each job has
 * a time limit; a job past it has its worker terminated (the only way to stop running crypto) and
 * answers KDF_TIMEOUT or KEYGEN_TIMEOUT. Each kind of job has a bounded queue; beyond it the pool
 * answers KDF_BUSY or KEYGEN_BUSY (503) at once. Workers are started on demand and do not keep the
 * process alive while idle.
 *
 * An adapter (threads, /proc): cert/ declares what it needs (KdfRunner in pbe.ts, RsaKeygen in keygen.ts)
 * and the services and routes hand it this pool.
 */

export type CryptoJobKind = 'kdf' | 'keygen';

/** What travels to a worker. */
export type CryptoJob = { kind: 'kdf'; requests: KdfRequest[] } | { kind: 'keygen'; keygen: KeygenJob };

/** What a worker answers: a result, or an error (with its CertError code when it was one). */
export type CryptoReply =
  | { tid: number }
  | { result: unknown }
  | {
      error: string;
      certError?: { code: CertError['code']; details: CertError['details']; inRequest: boolean };
    };

export interface CryptoPoolOptions {
  /** Workers per kind of job; default one less than the machine's cores, at least 1 (size + 1 in all). */
  size?: number;
  /** Time limit per job, by kind. */
  timeoutMs?: Partial<Record<CryptoJobKind, number>>;
  /** Jobs of each kind allowed to wait for a worker; beyond this the pool answers KDF_BUSY / KEYGEN_BUSY. */
  maxQueue?: Partial<Record<CryptoJobKind, number>>;
  /**
   * Arms a job's time limit and returns its cancel; tests pass a timer they fire by hand. `cpuMs` tells
   * how much CPU the job's thread has used so far (null where the system does not say).
   */
  startTimer?: (onTimeout: () => void, ms: number, cpuMs: () => number | null) => () => void;
}

export interface CryptoPoolStats {
  workers: number;
  running: number;
  queued: number;
  /** Jobs handed to a worker since the pool was made. */
  started: number;
  timedOut: number;
}

/**
 * CPU time one RSA key (and its CSR) may take. RSA-4096 needs about 0.5–3 s of one core and rarely more
 * (prime search is random); 20 s only stops a host too slow or too starved to be of use.
 */
export const KEYGEN_TIME_LIMIT_MS = 20_000;

/** How each kind of job is limited, and what it answers when it is. */
const KINDS: Record<
  CryptoJobKind,
  {
    limitMs: number;
    maxQueue: number;
    busy: () => CertError;
    timeout: (ms: number) => CertError;
    unavailable: (detail: string) => CertError;
    failed: (message: string) => Error;
  }
> = {
  kdf: {
    limitMs: KDF_TIME_LIMIT_MS,
    maxQueue: 32,
    busy: () =>
      new CertError(
        'KDF_BUSY',
        'certdesk is busy decrypting other password-protected files. Try again in a moment.',
      ),
    timeout: (ms) =>
      new CertError(
        'KDF_TIMEOUT',
        `Deriving the key from the password took longer than ${ms / 1000} s, so certdesk stopped it. The file asks for unusually costly key derivation; re-export it with default settings.`,
        { limitSeconds: ms / 1000 },
      ),
    // The worker itself went away (crashed, or the pool was closed): the server's fault, not the file's.
    unavailable: (detail) =>
      new CertError(
        'KDF_UNAVAILABLE',
        `certdesk could not derive the key from the password (${detail}). Try again.`,
      ),
    failed: (message) => new KdfFailed(message),
  },
  keygen: {
    limitMs: KEYGEN_TIME_LIMIT_MS,
    // Each RSA-4096 key takes seconds of a worker: a longer queue would only make people wait minutes.
    maxQueue: 8,
    busy: () =>
      new CertError(
        'KEYGEN_BUSY',
        'certdesk is already generating as many keys as it can queue. Try again in a moment.',
        { retryAfterSeconds: 10 },
      ),
    timeout: (ms) =>
      new CertError(
        'KEYGEN_TIMEOUT',
        `Generating the key took longer than ${ms / 1000} s of processor time, so certdesk stopped it. The server is overloaded or too slow for this key size; try again later, or choose RSA-2048 or ECDSA.`,
        { limitSeconds: ms / 1000 },
      ),
    unavailable: (detail) =>
      new CertError('KEYGEN_UNAVAILABLE', `certdesk could not generate the key (${detail}). Try again.`),
    failed: (message) => new Error(`key generation failed: ${message}`),
  },
};

interface Job {
  job: CryptoJob;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  cancelTimer: () => void;
  /** The worker's kernel thread id, once it has said (Linux), for its CPU time. */
  tid: number | null;
}

const fromSource = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(fromSource ? './crypto-worker.ts' : './crypto-worker.js', import.meta.url);

/**
 * Run from source (tests, `npm run dev`), the worker needs tsx's loader, which Node 20 does not pass
 * on to worker threads; the built server runs the compiled crypto-worker.js directly.
 */
function startWorker(): Worker {
  if (!fromSource) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(boot, { eval: true });
}

/** A job may take this many times its limit in wall-clock time while it has had less CPU than the limit. */
const WALL_CEILING = 4;

/**
 * The limit counts the worker's CPU time: the worker runs at low priority (crypto-worker.ts), so on a busy
 * host its wall-clock time says how busy the host is, not how costly the job is. Past the limit in wall
 * time, the job goes on while its CPU time is under the limit, up to WALL_CEILING times the limit.
 */
export const cpuTimeLimit = (onTimeout: () => void, ms: number, cpuMs: () => number | null) => {
  const started = Date.now();
  let t: NodeJS.Timeout;
  const check = () => {
    const used = cpuMs();
    const left = used === null ? 0 : ms - used;
    if (left <= 0 || Date.now() - started >= WALL_CEILING * ms) onTimeout();
    else t = setTimeout(check, Math.max(100, Math.min(left, WALL_CEILING * ms - (Date.now() - started))));
  };
  t = setTimeout(check, ms);
  return () => clearTimeout(t);
};

/** CPU milliseconds (user + system) a thread of this process has used, from /proc; null elsewhere. */
function threadCpuMs(tid: number | null): number | null {
  if (tid === null) return null;
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

export class CryptoPool implements KdfRunner, RsaKeygen {
  private readonly size: number;
  private readonly timeoutMs: Record<CryptoJobKind, number>;
  private readonly maxQueue: Record<CryptoJobKind, number>;
  private readonly startTimer: NonNullable<CryptoPoolOptions['startTimer']>;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private started = 0;
  private timedOut = 0;

  constructor(options: CryptoPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? os.availableParallelism() - 1);
    this.timeoutMs = {
      kdf: options.timeoutMs?.kdf ?? KINDS.kdf.limitMs,
      keygen: options.timeoutMs?.keygen ?? KINDS.keygen.limitMs,
    };
    this.maxQueue = {
      kdf: options.maxQueue?.kdf ?? KINDS.kdf.maxQueue,
      keygen: options.maxQueue?.keygen ?? KINDS.keygen.maxQueue,
    };
    this.startTimer = options.startTimer ?? cpuTimeLimit;
  }

  /** Runs the derivations in one worker, in order; resolves with one key per request. */
  async run(requests: KdfRequest[]): Promise<Buffer[]> {
    const keys = (await this.submit({ kind: 'kdf', requests })) as Uint8Array[];
    return keys.map((k) => Buffer.from(k.buffer, k.byteOffset, k.byteLength));
  }

  /** A new RSA key pair made in a worker, and the CSR signed with it when `csr` is given. */
  generateRsa(keygen: KeygenJob): Promise<KeygenResult> {
    return this.submit({ kind: 'keygen', keygen }) as Promise<KeygenResult>;
  }

  stats(): CryptoPoolStats {
    let running = 0;
    for (const s of this.slots) if (s.job) running++;
    return {
      workers: this.slots.size,
      running,
      queued: this.queue.length,
      started: this.started,
      timedOut: this.timedOut,
    };
  }

  /** Stops every worker; queued and running jobs fail. */
  async close(): Promise<void> {
    const pending = [...this.queue.splice(0)];
    for (const job of pending) job.reject(KINDS[job.job.kind].unavailable('the pool was closed'));
    await Promise.all([...this.slots].map((s) => this.retire(s, 'the pool was closed')));
  }

  private submit(job: CryptoJob): Promise<unknown> {
    const kind = KINDS[job.kind];
    if (this.queue.filter((j) => j.job.kind === job.kind).length >= this.maxQueue[job.kind]) {
      return Promise.reject(kind.busy());
    }
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  /**
   * Starts what can start, in queue order. Each kind runs on at most `size` workers and the pool holds
   * at most `size + 1`, so a PFX being read never waits behind seconds of RSA prime search (nor a key
   * behind a slow PFX) while the workers together stay at most one thread past the spare cores.
   */
  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i] as Job;
      if (this.running(job.job.kind) >= this.size) {
        i++;
        continue;
      }
      let slot = [...this.slots].find((s) => !s.job);
      if (!slot) {
        if (this.slots.size >= this.size + 1) return;
        slot = this.spawn();
      }
      this.queue.splice(i, 1);
      this.assign(slot, job);
    }
  }

  private running(kind: CryptoJobKind): number {
    let n = 0;
    for (const s of this.slots) if (s.job?.job.kind === kind) n++;
    return n;
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, job: null, cancelTimer: () => {}, tid: null };
    worker.unref();
    worker.on('message', (msg: CryptoReply) => {
      if ('tid' in msg) {
        slot.tid = msg.tid;
        return;
      }
      const job = slot.job;
      if (!job) return;
      slot.cancelTimer();
      slot.job = null;
      worker.unref();
      if ('result' in msg) job.resolve(msg.result);
      else if (msg.certError) {
        const { code, details, inRequest } = msg.certError;
        job.reject(new CertError(code, msg.error, details, inRequest));
      } else job.reject(KINDS[job.job.kind].failed(msg.error));
      this.pump();
    });
    const lost = (detail: string) => {
      if (!this.slots.has(slot)) return;
      void this.retire(slot, detail);
      this.pump();
    };
    worker.on('error', () => lost('its worker thread failed'));
    worker.on('exit', () => lost('its worker thread stopped'));
    this.slots.add(slot);
    return slot;
  }

  private assign(slot: Slot, job: Job): void {
    slot.job = job;
    this.started++;
    // A running job keeps the process alive (a CLI awaiting it must not exit); an idle worker does not.
    slot.worker.ref();
    const cpuAtStart = threadCpuMs(slot.tid) ?? 0;
    const cpuMs = () => {
      const now = threadCpuMs(slot.tid);
      return now === null ? null : now - cpuAtStart;
    };
    const limit = this.timeoutMs[job.job.kind];
    slot.cancelTimer = this.startTimer(
      () => {
        if (slot.job !== job) return;
        this.timedOut++;
        void this.retire(slot, KINDS[job.job.kind].timeout(limit));
        this.pump();
      },
      limit,
      cpuMs,
    );
    slot.worker.postMessage(job.job);
  }

  /** Takes a worker out of the pool; its running job fails with `err` (or "unavailable" for its kind). */
  private async retire(slot: Slot, err: Error | string): Promise<void> {
    this.slots.delete(slot);
    slot.cancelTimer();
    const job = slot.job;
    slot.job = null;
    job?.reject(typeof err === 'string' ? KINDS[job.job.kind].unavailable(err) : err);
    await slot.worker.terminate();
  }
}

let shared: CryptoPool | undefined;

/** The process-wide pool every reader and key generator uses unless given another. */
export function cryptoPool(): CryptoPool {
  shared ??= new CryptoPool();
  return shared;
}
