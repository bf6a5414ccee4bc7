import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CertError } from './errors.js';
import type { KdfRequest } from './kdf.js';

/**
 * A small pool of worker threads for password-based key derivation. A PFX or key file chooses its own
 * iteration counts, so deriving its key is work an uploader decides: here it costs a worker, never the
 * event loop. Each job has a time limit; a job past it has its worker terminated (the only way to stop
 * a running derivation) and answers KDF_TIMEOUT. Workers are started on demand and do not keep the
 * process alive while idle.
 */

export interface KdfPoolOptions {
  /** Worker threads; default one less than the machine's cores, at least 1. */
  size?: number;
  /** Time limit per job. */
  timeoutMs?: number;
  /** Jobs allowed to wait for a worker; beyond this the pool answers KDF_BUSY. */
  maxQueue?: number;
  /**
   * Arms a job's time limit and returns its cancel; tests pass a timer they fire by hand. `cpuMs` tells
   * how much CPU the job's thread has used so far (null where the system does not say).
   */
  startTimer?: (onTimeout: () => void, ms: number, cpuMs: () => number | null) => () => void;
}

export interface KdfPoolStats {
  workers: number;
  running: number;
  queued: number;
  /** Jobs handed to a worker since the pool was made. */
  started: number;
  timedOut: number;
}

export const KDF_TIME_LIMIT_MS = 10_000;

/** A derivation failed inside the worker (parameters the checks let through but the library refused). */
export class KdfFailed extends Error {}

/** The worker itself went away (crashed, or the pool was closed): the server's fault, not the file's. */
function unavailable(detail: string): CertError {
  return new CertError(
    'KDF_UNAVAILABLE',
    `certdesk could not derive the key from the password (${detail}). Try again.`,
  );
}

interface Job {
  requests: KdfRequest[];
  resolve: (keys: Buffer[]) => void;
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
const WORKER_URL = new URL(fromSource ? './kdf-worker.ts' : './kdf-worker.js', import.meta.url);

/**
 * Run from source (tests, `npm run dev`), the worker needs tsx's loader, which Node 20 does not pass
 * on to worker threads; the built server runs the compiled kdf-worker.js directly.
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
 * The limit counts the worker's CPU time: the worker runs at low priority (kdf-worker.ts), so on a busy
 * host its wall-clock time says how busy the host is, not how costly the file is. Past the limit in wall
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

export class KdfPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly startTimer: NonNullable<KdfPoolOptions['startTimer']>;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private started = 0;
  private timedOut = 0;

  constructor(options: KdfPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? os.availableParallelism() - 1);
    this.timeoutMs = options.timeoutMs ?? KDF_TIME_LIMIT_MS;
    this.maxQueue = options.maxQueue ?? 32;
    this.startTimer = options.startTimer ?? cpuTimeLimit;
  }

  /** Runs the derivations in one worker, in order; resolves with one key per request. */
  run(requests: KdfRequest[]): Promise<Buffer[]> {
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new CertError(
          'KDF_BUSY',
          'certdesk is busy decrypting other password-protected files. Try again in a moment.',
        ),
      );
    }
    return new Promise<Buffer[]>((resolve, reject) => {
      this.queue.push({ requests, resolve, reject });
      this.pump();
    });
  }

  stats(): KdfPoolStats {
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
    for (const job of pending) job.reject(unavailable('the pool was closed'));
    await Promise.all([...this.slots].map((s) => this.retire(s, unavailable('the pool was closed'))));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => !s.job);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      this.assign(slot, this.queue.shift() as Job);
    }
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, job: null, cancelTimer: () => {}, tid: null };
    worker.unref();
    worker.on('message', (msg: { keys?: Uint8Array[]; error?: string; tid?: number }) => {
      if (msg.tid !== undefined) {
        slot.tid = msg.tid;
        return;
      }
      const job = slot.job;
      if (!job) return;
      slot.cancelTimer();
      slot.job = null;
      worker.unref();
      if (msg.keys) job.resolve(msg.keys.map((k) => Buffer.from(k.buffer, k.byteOffset, k.byteLength)));
      else job.reject(new KdfFailed(msg.error ?? 'key derivation failed'));
      this.pump();
    });
    const lost = (err: CertError) => {
      if (!this.slots.has(slot)) return;
      void this.retire(slot, err);
      this.pump();
    };
    worker.on('error', () => lost(unavailable('its worker thread failed')));
    worker.on('exit', () => lost(unavailable('its worker thread stopped')));
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
    slot.cancelTimer = this.startTimer(
      () => {
        if (slot.job !== job) return;
        this.timedOut++;
        void this.retire(slot, timeoutError(this.timeoutMs));
        this.pump();
      },
      this.timeoutMs,
      cpuMs,
    );
    slot.worker.postMessage({ requests: job.requests });
  }

  private async retire(slot: Slot, err: Error): Promise<void> {
    this.slots.delete(slot);
    slot.cancelTimer();
    const job = slot.job;
    slot.job = null;
    job?.reject(err);
    await slot.worker.terminate();
  }
}

function timeoutError(ms: number): CertError {
  return new CertError(
    'KDF_TIMEOUT',
    `Deriving the key from the password took longer than ${ms / 1000} s, so certdesk stopped it. The file asks for unusually costly key derivation; re-export it with default settings.`,
    { limitSeconds: ms / 1000 },
  );
}

let shared: KdfPool | undefined;

/** The process-wide pool every reader uses unless given another. */
export function kdfPool(): KdfPool {
  shared ??= new KdfPool();
  return shared;
}
