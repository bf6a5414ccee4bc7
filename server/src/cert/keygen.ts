import crypto, { type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { CsrSubject } from '@certdesk/shared';
import { buildCsr } from './csr.js';

export type KeySpec =
  | { keyType: 'rsa'; keySize: 2048 | 3072 | 4096 }
  | { keyType: 'ec'; curve: 'P-256' | 'P-384' };

/** An RSA key pair, and a CSR signed with it when one is asked for. */
export interface KeygenJob {
  modulusLength: number;
  csr?: { subject: CsrSubject; subjectAltNames: string[] };
}

export interface KeygenResult {
  privateKey: KeyObject;
  publicKey: KeyObject;
  csrPem?: string;
}

/**
 * Where RSA keys are made, given by the caller: the low-priority worker pool (compute/crypto-pool.ts),
 * which answers KEYGEN_BUSY / KEYGEN_TIMEOUT / KEYGEN_UNAVAILABLE as CertErrors. cert/ only declares it.
 */
export interface RsaKeygen {
  generateRsa(job: KeygenJob): Promise<KeygenResult>;
}

const generateKeyPair = promisify(crypto.generateKeyPair);
const NAMED_CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

/**
 * A new key pair. RSA keys are made by `rsa` (in production the crypto pool's low-priority workers): an
 * RSA-4096 prime search takes seconds of a core, and in libuv's thread pool it would compete with the
 * event loop at equal priority. The pool bounds how many run and wait (KEYGEN_BUSY) and how long one may
 * take (KEYGEN_TIMEOUT). EC keys take well under a millisecond: they stay in libuv's pool, not queued
 * behind RSA work.
 */
export async function generateKey(
  spec: KeySpec,
  rsa: RsaKeygen,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  if (spec.keyType === 'rsa') {
    const { privateKey, publicKey } = await rsa.generateRsa({ modulusLength: spec.keySize });
    return { privateKey, publicKey };
  }
  return generateKeyPair('ec', { namedCurve: NAMED_CURVES[spec.curve] });
}

/**
 * A new key and a CSR signed with it. For RSA both happen in the same worker: the signature and the
 * ASN.1 encoding (several milliseconds of JavaScript) stay off the event loop too.
 */
export async function generateKeyWithCsr(
  spec: KeySpec,
  subject: CsrSubject,
  subjectAltNames: string[],
  rsa: RsaKeygen,
): Promise<{ privateKey: KeyObject; csrPem: string }> {
  if (spec.keyType === 'rsa') {
    const made = await rsa.generateRsa({ modulusLength: spec.keySize, csr: { subject, subjectAltNames } });
    if (made.csrPem === undefined) throw new Error('the key worker answered without a CSR');
    return { privateKey: made.privateKey, csrPem: made.csrPem };
  }
  const { privateKey } = await generateKey(spec, rsa);
  return { privateKey, csrPem: await buildCsr(subject, subjectAltNames, privateKey) };
}
