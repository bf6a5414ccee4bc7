import { parentPort } from 'node:worker_threads';
import { derive, type KdfRequest } from './kdf.js';

/** Worker thread of kdf-pool.ts: derives keys, one message at a time. Imports nothing but kdf.ts. */
parentPort?.on('message', (message: { requests: KdfRequest[] }) => {
  try {
    parentPort?.postMessage({ keys: message.requests.map(derive) });
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
