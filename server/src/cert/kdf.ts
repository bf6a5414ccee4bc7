import crypto from 'node:crypto';
import { iterateHash } from './iterated-hash.js';

/**
 * The password-based key derivations certdesk meets in PKCS#12 files and encrypted PKCS#8 keys, as pure
 * functions of plain data so they can run in a worker thread (compute/crypto-pool.ts) and be posted
 * there as messages. Nothing here checks costs: pbe.ts refuses absurd parameters before a request is made.
 */

export type KdfRequest =
  | {
      kind: 'pbkdf2';
      password: Uint8Array;
      salt: Uint8Array;
      iterations: number;
      prf: string;
      keyLen: number;
    }
  | {
      kind: 'scrypt';
      password: Uint8Array;
      salt: Uint8Array;
      N: number;
      r: number;
      p: number;
      keyLen: number;
      maxmem: number;
    }
  | {
      /** PKCS#5 v1.5 PBKDF1: H^c(P || S), the first keyLen bytes (DES or RC2 key, then the IV). */
      kind: 'pbkdf1';
      hash: 'md5' | 'sha1';
      password: Uint8Array;
      salt: Uint8Array;
      iterations: number;
      keyLen: number;
    }
  | {
      kind: 'pkcs12';
      hash: string;
      /** The password as a BMPString with its terminator (bmpPassword), or empty for "no password". */
      password: Uint8Array;
      salt: Uint8Array;
      /** 1 = key, 2 = IV, 3 = MAC key (RFC 7292 B.3). */
      id: 1 | 2 | 3;
      iterations: number;
      keyLen: number;
    };

/** Output length u and block length v of the digests PKCS#12 may name (v as OpenSSL's EVP_MD_block_size). */
export const PKCS12_HASHES: Record<string, { u: number; v: number }> = {
  md5: { u: 16, v: 64 },
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
  'sha512-224': { u: 28, v: 128 },
  'sha512-256': { u: 32, v: 128 },
  'sha3-224': { u: 28, v: 144 },
  'sha3-256': { u: 32, v: 136 },
  'sha3-384': { u: 48, v: 104 },
  'sha3-512': { u: 64, v: 72 },
  blake2b512: { u: 64, v: 128 },
  blake2s256: { u: 32, v: 64 },
  sm3: { u: 32, v: 64 },
};

export function derive(req: KdfRequest): Buffer {
  switch (req.kind) {
    case 'pbkdf2':
      return crypto.pbkdf2Sync(req.password, req.salt, req.iterations, req.keyLen, req.prf);
    case 'scrypt':
      return crypto.scryptSync(req.password, req.salt, req.keyLen, {
        N: req.N,
        r: req.r,
        p: req.p,
        maxmem: req.maxmem,
      });
    case 'pbkdf1': {
      const first = crypto.createHash(req.hash).update(req.password).update(req.salt).digest();
      return iterateHash(req.hash, first, req.iterations - 1).subarray(0, req.keyLen);
    }
    case 'pkcs12':
      return pkcs12Kdf(
        req.hash,
        Buffer.from(req.password),
        Buffer.from(req.salt),
        req.id,
        req.iterations,
        req.keyLen,
      );
  }
}

/** RFC 7292 appendix B.2 key derivation; `pass` is already a BMPString (see bmpPassword). */
export function pkcs12Kdf(
  hashName: string,
  pass: Buffer,
  salt: Buffer,
  id: number,
  iterations: number,
  n: number,
): Buffer {
  const params = PKCS12_HASHES[hashName];
  if (!params) throw new Error(`no PKCS#12 parameters for ${hashName}`);
  const { u, v } = params;
  const fill = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length] as number;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(pass)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < n; produced += u) {
    const first = crypto.createHash(hashName).update(D).update(I).digest();
    const A = iterateHash(hashName, first, iterations - 1);
    blocks.push(A);
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u] as number;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (I[j + k] as number) + (B[k] as number) + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, n);
}
