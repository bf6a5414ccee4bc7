import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { CertError } from '../cert/errors.js';
import { derive } from '../cert/kdf.js';
import type { KeygenJob, KeygenResult } from '../cert/keygen.js';
import type { CryptoJob, CryptoReply } from './crypto-pool.js';

/**
 * A job keeps this thread busy for seconds. At the lowest CPU priority it only takes what the event
 * loop leaves, so requests keep being answered while a costly PFX is read or an RSA-4096 key is made
 * (issue 15 item 6). On Linux a thread's id is its own scheduling entity: setpriority on it leaves the
 * rest of the process.
 */
export function lowerThreadPriority(tid: number | null): boolean {
  if (tid === null || tid === process.pid) return false;
  try {
    os.setPriority(tid, os.constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false; // not allowed: the job still runs, at normal priority
  }
}

/** This thread's kernel id (Linux), or null. */
function threadId(): number | null {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

/**
 * The synchronous keygen on purpose: it runs on this low-priority thread. crypto.generateKeyPair would
 * hand the prime search to libuv's thread pool, at normal priority, beside the event loop. The CSR's
 * module (ASN.1 and X.509 libraries) is loaded on the first CSR only, so a worker that only derives
 * keys starts quickly.
 */
async function keygen(job: KeygenJob): Promise<KeygenResult> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: job.modulusLength,
    publicExponent: 0x10001,
  });
  if (!job.csr) return { privateKey, publicKey };
  const { buildCsr } = await import('../cert/csr.js');
  const csrPem = await buildCsr(job.csr.subject, job.csr.subjectAltNames, privateKey);
  return { privateKey, publicKey, csrPem };
}

const tid = threadId();
lowerThreadPriority(tid);
// The pool reads this thread's CPU time to apply its time limit (crypto-pool.ts).
if (tid !== null) parentPort?.postMessage({ tid } satisfies CryptoReply);

/** Worker thread of crypto-pool.ts: one job at a time (the pool sends the next when this one answered). */
parentPort?.on('message', async (job: CryptoJob) => {
  let reply: CryptoReply;
  try {
    reply = { result: job.kind === 'kdf' ? job.requests.map(derive) : await keygen(job.keygen) };
  } catch (err) {
    reply =
      err instanceof CertError
        ? {
            error: err.message,
            certError: { code: err.code, details: err.details, inRequest: err.inRequest },
          }
        : { error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
