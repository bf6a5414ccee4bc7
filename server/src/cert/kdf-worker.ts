import fs from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { derive, type KdfRequest } from './kdf.js';

/**
 * A derivation keeps this thread busy for seconds. At the lowest CPU priority it only takes what the
 * event loop leaves, so requests keep being answered while a costly PFX is read (issue 15 item 6). On
 * Linux a thread's id is its own scheduling entity: setpriority on it leaves the rest of the process.
 */
export function lowerThreadPriority(tid: number | null): boolean {
  if (tid === null || tid === process.pid) return false;
  try {
    os.setPriority(tid, os.constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false; // not allowed: the derivation still runs, at normal priority
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

const tid = threadId();
lowerThreadPriority(tid);
// The pool reads this thread's CPU time to apply its time limit (kdf-pool.ts).
if (tid !== null) parentPort?.postMessage({ tid });

/** Worker thread of kdf-pool.ts: derives keys, one message at a time. Imports nothing but kdf.ts. */
parentPort?.on('message', (message: { requests: KdfRequest[] }) => {
  try {
    parentPort?.postMessage({ keys: message.requests.map(derive) });
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
