import crypto, { type KeyObject } from 'node:crypto';
import os from 'node:os';
import { promisify } from 'node:util';

export type KeySpec =
  | { keyType: 'rsa'; keySize: 2048 | 3072 | 4096 }
  | { keyType: 'ec'; curve: 'P-256' | 'P-384' };

const generateKeyPair = promisify(crypto.generateKeyPair);
const NAMED_CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

/**
 * At most (cores − 1) key generations at once. Each one keeps a thread-pool thread busy for up to seconds
 * (RSA-4096 prime search); with every core taken the event-loop thread has to queue for CPU and every
 * other request waits. Keeping one core free keeps the console responsive while keys are being made.
 */
const MAX_PARALLEL = Math.max(1, os.availableParallelism() - 1);
let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * A new key pair. crypto.generateKeyPair runs in libuv's thread pool, off the event loop (node-forge's
 * JavaScript keygen would block it for seconds).
 */
export function generateKey(spec: KeySpec): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  if (spec.keyType === 'rsa') {
    const { keySize } = spec;
    return withSlot(() => generateKeyPair('rsa', { modulusLength: keySize, publicExponent: 0x10001 }));
  }
  // EC keys take well under a millisecond: no need to queue them behind RSA work.
  return generateKeyPair('ec', { namedCurve: NAMED_CURVES[spec.curve] });
}
