import crypto from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { cbcDecrypt, rc2Decrypt, rc4 } from './block-ciphers.js';
import { CertError } from './errors.js';
import { type KdfRequest, PKCS12_HASHES } from './kdf.js';
import {
  ALG,
  type AsnCount,
  PBES1,
  PBES2_CIPHERS,
  PBKDF2_PRFS,
  Pbes1Params,
  Pbes2Params,
  Pbkdf2Params,
  PKCS12_PBES,
  Pkcs12PbeParams,
  Rc2CbcParams,
  ScryptParams,
} from './pkcs-asn1.js';

/**
 * Password-based encryption as PKCS#12 files and encrypted PKCS#8 keys use it: PBES2 (PBKDF2 or
 * scrypt, with AES, 3DES, Camellia, ARIA, SM4, DES or RC2), the PKCS#12 PBE schemes (SHA-1 KDF with
 * 3DES, RC2 or RC4) and PKCS#5 v1.5 PBES1 (PBKDF1 with MD5 or SHA-1, DES or RC2) — every scheme OpenSSL 3
 * reads with its legacy provider. Node's OpenSSL has no legacy provider, so single DES runs as 3DES
 * with one key three times (the same cipher) and RC2 runs in node-forge. The parameters are read from the ASN.1 first, so an absurd cost is refused before any work
 * (KDF_TOO_COSTLY) and an algorithm certdesk cannot decrypt is named (UNSUPPORTED_ENCRYPTION) instead
 * of passing for a wrong password. The derivation itself runs wherever the caller says (a KdfRunner).
 */

/**
 * Per-derivation ceilings, generous on purpose: real files ask for 2,048 (OpenSSL), 10,000 (Java),
 * 100,000 MAC iterations (Java keytool) or 600,000 (Firefox, OWASP's PBKDF2-SHA256 advice). The PKCS#12
 * KDF limit is lower because it runs as JavaScript, several times slower per iteration than PBKDF2.
 * scrypt memory stops where OpenSSL's own default ceiling does.
 */
export const KDF_LIMITS = {
  pbkdf2Iterations: 10_000_000,
  pkcs12Iterations: 2_000_000,
  /** PBES1's PBKDF1 also runs as a JavaScript loop of hashes (OpenSSL writes 2,048). */
  pbkdf1Iterations: 2_000_000,
  /** N·r·p; OpenSSL's default (N=16384, r=8, p=1) is 131,072. */
  scryptWork: 1 << 22,
  /** 128·N·r bytes. */
  scryptMemory: 32 * 1024 * 1024,
};

/**
 * Where derivations run, given by the caller: the low-priority worker pool (compute/crypto-pool.ts) for
 * anything a file chose. cert/ only declares the capability, so it stays free of threads and /proc.
 * A runner resolves with one key per request, in order; it answers KDF_TIMEOUT / KDF_BUSY /
 * KDF_UNAVAILABLE as CertErrors, and KdfFailed when the library refused the parameters.
 */
export interface KdfRunner {
  run(requests: KdfRequest[]): Promise<Buffer[]>;
}

/** Time limit of one derivation job in the worker pool; here because the API description states it. */
export const KDF_TIME_LIMIT_MS = 10_000;

/** A derivation failed in the runner (parameters the checks let through but the library refused). */
export class KdfFailed extends Error {}

export type Pbe =
  | {
      scheme: 'pbes2';
      label: string;
      kdf:
        | { name: 'pbkdf2'; salt: Buffer; iterations: number; prf: string }
        | { name: 'scrypt'; salt: Buffer; N: number; r: number; p: number };
      cipher: string;
      keyLen: number;
      iv: Buffer;
      /** RC2 only: the effective key bits its parameters give. */
      rc2Bits?: number;
    }
  | {
      scheme: 'pbes1';
      label: string;
      hash: 'md5' | 'sha1';
      cipher: 'des-cbc' | 'rc2';
      salt: Buffer;
      iterations: number;
    }
  | {
      scheme: 'pkcs12';
      label: string;
      cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2' | 'rc4';
      keyLen: number;
      ivLen: number;
      salt: Buffer;
      iterations: number;
    };

export { BadDecrypt } from './block-ciphers.js';

export function unsupportedEncryption(label: string): CertError {
  return new CertError(
    'UNSUPPORTED_ENCRYPTION',
    `The file is encrypted with ${label}, which certdesk cannot decrypt. Re-export it with AES-256 (PBES2), the default of current OpenSSL, Windows, Java and Firefox.`,
    { encryption: label },
  );
}

const number = (x: number) => (Number.isFinite(x) ? x.toLocaleString('en') : 'an unreadably large number');
const mebibytes = (x: number) =>
  Number.isFinite(x) ? `${(x / 1024 / 1024).toLocaleString('en')} MiB` : 'unbounded';

/**
 * Refuses `value` over `limit` with KDF_TOO_COSTLY. `parameter` names what is counted; `usual` says what
 * real files ask for, so the person sees how far off this one is.
 */
export function checkCost(
  parameter: string,
  value: number,
  limit: number,
  usual: string,
  show: (x: number) => string = number,
): void {
  if (value <= limit) return;
  throw new CertError(
    'KDF_TOO_COSTLY',
    `The file asks for ${parameter} = ${show(value)} to derive its key; certdesk's limit is ${show(limit)} (${usual}), so that one file cannot tie up the server. Re-export it with default settings.`,
    { parameter, limit },
  );
}

/** A positive INTEGER as a number; Infinity when it is too large to be meant. */
export function count(v: AsnCount | undefined, what: string): number {
  const n = typeof v === 'string' ? Number(v) : (v ?? Number.NaN);
  if (Number.isNaN(n) || n < 1) throw new Error(`invalid ${what}`);
  return Number.isSafeInteger(n) ? n : Number.POSITIVE_INFINITY;
}

/** Node can run this cipher (OpenSSL 3 moved DES, RC2, Blowfish… to a provider Node does not load). */
export function cipherAvailable(name: string): boolean {
  try {
    const info = crypto.getCipherInfo(name);
    if (!info) return false;
    crypto.createDecipheriv(
      name,
      Buffer.alloc(info.keyLength),
      info.ivLength ? Buffer.alloc(info.ivLength) : null,
    );
    return true;
  } catch {
    return false;
  }
}

function params<T>(der: ArrayBuffer | null | undefined, type: new () => T): T {
  if (!der) throw new Error('missing encryption parameters');
  return AsnConvert.parse(der, type);
}

/** Reads an encryption AlgorithmIdentifier. Throws UNSUPPORTED_ENCRYPTION, or a plain Error when malformed. */
export function parsePbe(alg: AlgorithmIdentifier): Pbe {
  const legacy = PKCS12_PBES[alg.algorithm];
  if (legacy) {
    const p = params(alg.parameters, Pkcs12PbeParams);
    return {
      scheme: 'pkcs12',
      label: legacy.label,
      cipher: legacy.cipher,
      keyLen: legacy.keyLen,
      ivLen: legacy.ivLen,
      salt: Buffer.from(p.salt.buffer),
      iterations: count(p.iterations, 'iteration count'),
    };
  }
  const pbes1 = PBES1[alg.algorithm];
  if (pbes1) {
    if (!pbes1.hash) throw md2Refusal(pbes1.label);
    const p = params(alg.parameters, Pbes1Params);
    const salt = Buffer.from(p.salt.buffer);
    if (salt.length !== 8) throw new Error('PBES1 salt is not 8 bytes');
    return {
      scheme: 'pbes1',
      label: pbes1.label,
      hash: pbes1.hash,
      cipher: pbes1.cipher === 'des' ? 'des-cbc' : 'rc2',
      salt,
      iterations: count(p.iterationCount, 'iteration count'),
    };
  }
  if (alg.algorithm !== ALG.pbes2) throw unsupportedEncryption(`an unknown algorithm (${alg.algorithm})`);

  const p = params(alg.parameters, Pbes2Params);
  const enc = p.encryptionScheme;
  const cipher = PBES2_CIPHERS[enc.algorithm];
  const cipherLabel = cipher ? cipher.name.toUpperCase() : `an unknown cipher (${enc.algorithm})`;
  const kdfAlg = p.keyDerivationFunc;
  let kdf: Extract<Pbe, { scheme: 'pbes2' }>['kdf'];
  let kdfLabel: string;
  let keyLen: AsnCount | undefined;
  if (kdfAlg.algorithm === ALG.pbkdf2) {
    const kp = params(kdfAlg.parameters, Pbkdf2Params);
    const prfOid = kp.prf?.algorithm ?? ALG.hmacWithSHA1;
    const prf = PBKDF2_PRFS[prfOid];
    if (!prf || !crypto.getHashes().includes(prf)) {
      throw unsupportedEncryption(`PBES2 with PBKDF2 and an unknown hash (${prfOid}), ${cipherLabel}`);
    }
    kdf = {
      name: 'pbkdf2',
      salt: Buffer.from(kp.salt.buffer),
      iterations: count(kp.iterationCount, 'iterations'),
      prf,
    };
    kdfLabel = `PBKDF2-HMAC-${prf.toUpperCase()}`;
    keyLen = kp.keyLength;
  } else if (kdfAlg.algorithm === ALG.scrypt) {
    const sp = params(kdfAlg.parameters, ScryptParams);
    const N = count(sp.costParameter, 'scrypt N');
    if (Number.isFinite(N) && (N < 2 || (N & (N - 1)) !== 0)) throw new Error('scrypt N is not a power of 2');
    kdf = {
      name: 'scrypt',
      salt: Buffer.from(sp.salt.buffer),
      N,
      r: count(sp.blockSize, 'scrypt r'),
      p: count(sp.parallelizationParameter, 'scrypt p'),
    };
    kdfLabel = 'scrypt';
    keyLen = sp.keyLength;
  } else {
    throw unsupportedEncryption(`PBES2 with an unknown key derivation (${kdfAlg.algorithm}), ${cipherLabel}`);
  }
  const label = `PBES2 (${kdfLabel}, ${cipherLabel})`;
  if (!cipher) throw unsupportedEncryption(label);
  if (cipher.name === 'rc2-cbc') {
    // RC2's key length is the file's choice (PBKDF2 keyLength), its effective bits the parameter version's.
    const len = keyLen === undefined ? cipher.keyLen : count(keyLen, 'key length');
    if (len > 128) throw new Error('RC2 key too long');
    const rp = params(enc.parameters, Rc2CbcParams);
    const iv = Buffer.from(rp.iv.buffer);
    if (iv.length !== 8) throw new Error('bad IV length');
    const rc2Bits = rc2EffectiveBits(rp.rc2ParameterVersion);
    return {
      scheme: 'pbes2',
      label: `PBES2 (${kdfLabel}, RC2-CBC ${rc2Bits}-bit)`,
      kdf,
      cipher: 'rc2',
      keyLen: len,
      iv,
      rc2Bits,
    };
  }
  if (cipher.name !== 'des-cbc' && !cipherAvailable(cipher.name)) throw unsupportedEncryption(label);
  if (keyLen !== undefined && count(keyLen, 'key length') !== cipher.keyLen)
    throw new Error('key length mismatch');
  const iv = Buffer.from(AsnConvert.parse(enc.parameters ?? new ArrayBuffer(0), OctetString).buffer);
  return { scheme: 'pbes2', label, kdf, cipher: cipher.name, keyLen: cipher.keyLen, iv };
}

/**
 * RFC 8018 B.2.3: versions 160, 120 and 58 stand for 40, 64 and 128 effective bits; 256 and up are the
 * bits themselves; absent means 32 (RFC 2268). Other small values encode odd sizes nobody writes.
 */
function rc2EffectiveBits(version: number | undefined): number {
  if (version === undefined) return 32;
  const known: Record<number, number> = { 160: 40, 120: 64, 58: 128 };
  const bits = version >= 256 ? version : known[version];
  if (!bits || bits > 1024) throw new Error(`unreadable RC2 parameter version ${version}`);
  return bits;
}

/** MD2 is not in OpenSSL 3 (nor Node): `openssl pkcs8` cannot read these files either. */
function md2Refusal(label: string): CertError {
  return new CertError(
    'UNSUPPORTED_ENCRYPTION',
    `The file is encrypted with ${label}, whose MD2 digest neither certdesk nor OpenSSL 3 computes. Re-export it with AES-256 (PBES2), the default of current OpenSSL, Windows, Java and Firefox.`,
    { encryption: label },
  );
}

/** Refuses parameters over KDF_LIMITS (422 KDF_TOO_COSTLY, naming the parameter and the limit). */
export function checkKdfCost(pbe: Pbe): void {
  if (pbe.scheme === 'pbes1') {
    checkCost('PBKDF1 iterations', pbe.iterations, KDF_LIMITS.pbkdf1Iterations, 'OpenSSL uses 2,048');
    return;
  }
  if (pbe.scheme === 'pkcs12') {
    const usual = 'OpenSSL uses 2,048';
    checkCost('PKCS#12 key-derivation iterations', pbe.iterations, KDF_LIMITS.pkcs12Iterations, usual);
    return;
  }
  const k = pbe.kdf;
  if (k.name === 'pbkdf2') {
    const usual = 'Firefox uses 600,000, OpenSSL 2,048';
    checkCost('PBKDF2 iterations', k.iterations, KDF_LIMITS.pbkdf2Iterations, usual);
    return;
  }
  checkCost('scrypt N·r·p', k.N * k.r * k.p, KDF_LIMITS.scryptWork, 'OpenSSL uses 131,072');
  const memory = 128 * k.N * k.r;
  checkCost('scrypt memory 128·N·r', memory, KDF_LIMITS.scryptMemory, 'OpenSSL uses 16 MiB', mebibytes);
}

/** The work a decryption costs, in iterations (scrypt: N·r·p, which takes about as long). */
export function kdfWork(pbe: Pbe): number {
  if (pbe.scheme === 'pkcs12' || pbe.scheme === 'pbes1') return pbe.iterations;
  return pbe.kdf.name === 'pbkdf2' ? pbe.kdf.iterations : pbe.kdf.N * pbe.kdf.r * pbe.kdf.p;
}

/** BMPString password with its two-byte terminator, as PKCS#12 wants it; null = "no password" (no bytes). */
export function bmpPassword(password: string | null): Buffer {
  if (password === null) return Buffer.alloc(0);
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** The derivations a decryption (or pbe-encrypt.ts's encryption) needs. */
export function kdfRequests(pbe: Pbe, password: string | null): KdfRequest[] {
  if (pbe.scheme === 'pbes1') {
    // 16 bytes: the DES or RC2 key (8), then the IV (8). The password goes in as its UTF-8 bytes.
    const pass = Buffer.from(password ?? '', 'utf8');
    return [
      {
        kind: 'pbkdf1',
        hash: pbe.hash,
        password: pass,
        salt: pbe.salt,
        iterations: pbe.iterations,
        keyLen: 16,
      },
    ];
  }
  if (pbe.scheme === 'pkcs12') {
    const base = { kind: 'pkcs12', hash: 'sha1', password: bmpPassword(password), salt: pbe.salt } as const;
    const key: KdfRequest = { ...base, id: 1, iterations: pbe.iterations, keyLen: pbe.keyLen };
    return pbe.ivLen ? [key, { ...base, id: 2, iterations: pbe.iterations, keyLen: pbe.ivLen }] : [key];
  }
  // PBES2 takes the password as its UTF-8 bytes; "no password" and "" are the same empty string.
  const pass = Buffer.from(password ?? '', 'utf8');
  const k = pbe.kdf;
  if (k.name === 'pbkdf2') {
    return [
      {
        kind: 'pbkdf2',
        password: pass,
        salt: k.salt,
        iterations: k.iterations,
        prf: k.prf,
        keyLen: pbe.keyLen,
      },
    ];
  }
  const maxmem = KDF_LIMITS.scryptMemory + 128 * k.r * k.p + 1024 * 1024;
  return [
    { kind: 'scrypt', password: pass, salt: k.salt, N: k.N, r: k.r, p: k.p, keyLen: pbe.keyLen, maxmem },
  ];
}

/** Decrypts `data`. Throws BadDecrypt when the padding is wrong (with these ciphers: the password). */
export async function pbeDecrypt(
  pbe: Pbe,
  data: Buffer,
  password: string | null,
  kdf: KdfRunner,
): Promise<Buffer> {
  const [derived, derivedIv] = await kdf.run(kdfRequests(pbe, password));
  if (!derived) throw new Error('no key derived');
  let key = derived;
  let iv = ivOf(pbe, derivedIv);
  if (pbe.scheme === 'pbes1') {
    key = derived.subarray(0, 8);
    iv = derived.subarray(8, 16);
  }
  if (pbe.cipher === 'rc2') {
    const bits = pbe.scheme === 'pbes2' ? pbe.rc2Bits : pbe.scheme === 'pbes1' ? 64 : undefined;
    return rc2Decrypt(key, iv, data, bits ?? key.length * 8);
  }
  if (pbe.cipher === 'rc4') return rc4(key, data);
  return cbcDecrypt(pbe.cipher, key, iv, data);
}

/** PBES2 carries its IV in the parameters; PKCS#12 PBE derives it from the password (KDF id 2). */
export function ivOf(pbe: Pbe, derived: Buffer | undefined): Buffer {
  if (pbe.scheme === 'pbes2') return pbe.iv;
  return derived ?? Buffer.alloc(0);
}

/** The PKCS#12 MAC key request (RFC 7292 B.4): the KDF with id 3 and the digest's own length. */
export function macKeyRequest(
  hash: string,
  password: string | null,
  salt: Buffer,
  iterations: number,
): KdfRequest {
  const u = PKCS12_HASHES[hash]?.u;
  if (!u) throw new Error(`no PKCS#12 parameters for ${hash}`);
  return { kind: 'pkcs12', hash, password: bmpPassword(password), salt, id: 3, iterations, keyLen: u };
}
