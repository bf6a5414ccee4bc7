import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import type Forge from 'node-forge';
import { CertError } from './errors.js';
import { derive, type KdfRequest, PKCS12_HASHES } from './kdf.js';
import {
  ALG,
  type AsnCount,
  PBES1_NAMES,
  PBES2_CIPHERS,
  PBKDF2_PRFS,
  Pbes2Params,
  Pbkdf2Params,
  PKCS12_PBES,
  Pkcs12PbeParams,
  ScryptParams,
} from './pkcs-asn1.js';

/**
 * Password-based encryption as PKCS#12 files and encrypted PKCS#8 keys use it: PBES2 (PBKDF2 or
 * scrypt, with AES, 3DES, Camellia, ARIA or SM4) and the PKCS#12 PBE schemes (SHA-1 KDF with 3DES, RC2
 * or RC4). The parameters are read from the ASN.1 first, so an absurd cost is refused before any work
 * (KDF_TOO_COSTLY) and an algorithm certdesk cannot decrypt is named (UNSUPPORTED_ENCRYPTION) instead
 * of passing for a wrong password. The derivation itself runs wherever the caller says (kdf-pool.ts).
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
  /** N·r·p; OpenSSL's default (N=16384, r=8, p=1) is 131,072. */
  scryptWork: 1 << 22,
  /** 128·N·r bytes. */
  scryptMemory: 32 * 1024 * 1024,
};

/** Where derivations run: the worker pool (kdf-pool.ts) for anything a file chose. */
export interface KdfRunner {
  run(requests: KdfRequest[]): Promise<Buffer[]>;
}

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

/** Thrown when decryption produces garbage: in a password-protected container that means the password. */
export class BadDecrypt extends Error {}

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
  const pbes1 = PBES1_NAMES[alg.algorithm];
  if (pbes1) throw unsupportedEncryption(pbes1);
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
  if (!cipher || !cipherAvailable(cipher.name)) throw unsupportedEncryption(label);
  if (keyLen !== undefined && count(keyLen, 'key length') !== cipher.keyLen)
    throw new Error('key length mismatch');
  const iv = Buffer.from(AsnConvert.parse(enc.parameters ?? new ArrayBuffer(0), OctetString).buffer);
  return { scheme: 'pbes2', label, kdf, cipher: cipher.name, keyLen: cipher.keyLen, iv };
}

/** Refuses parameters over KDF_LIMITS (422 KDF_TOO_COSTLY, naming the parameter and the limit). */
export function checkKdfCost(pbe: Pbe): void {
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
  if (pbe.scheme === 'pkcs12') return pbe.iterations;
  return pbe.kdf.name === 'pbkdf2' ? pbe.kdf.iterations : pbe.kdf.N * pbe.kdf.r * pbe.kdf.p;
}

/** BMPString password with its two-byte terminator, as PKCS#12 wants it; null = "no password" (no bytes). */
export function bmpPassword(password: string | null): Buffer {
  if (password === null) return Buffer.alloc(0);
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function kdfRequests(pbe: Pbe, password: string | null): KdfRequest[] {
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
  const [key, derivedIv] = await kdf.run(kdfRequests(pbe, password));
  if (!key) throw new Error('no key derived');
  const iv = ivOf(pbe, derivedIv);
  if (pbe.cipher === 'rc2') return rc2Decrypt(key, iv, data);
  if (pbe.cipher === 'rc4') return rc4(key, data);
  try {
    const d = crypto.createDecipheriv(pbe.cipher, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_CRYPTO_INVALID_IV') throw new Error('bad IV length');
    throw new BadDecrypt();
  }
}

const require = createRequire(import.meta.url);
let forgeLoaded: typeof Forge | undefined;
/** node-forge (~40 modules) is loaded for the first RC2 file, not at every start. */
function forge(): typeof Forge {
  forgeLoaded ??= require('node-forge') as typeof Forge;
  return forgeLoaded;
}

/** RC2-CBC with node-forge: OpenSSL 3 has RC2 only in its legacy provider, which Node does not load. */
function rc2Decrypt(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const f = forge();
  const c = f.rc2.createDecryptionCipher(f.util.createBuffer(key.toString('binary')), key.length * 8);
  c.start(f.util.createBuffer(iv.toString('binary')));
  c.update(f.util.createBuffer(data.toString('binary')));
  if (!c.finish()) throw new BadDecrypt();
  return Buffer.from(c.output.getBytes(), 'binary');
}

/** RC4 (old Windows and Netscape exports), a stream cipher: a wrong password shows only as garbage. */
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[n] = (data[n] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}

/** The two profiles the PFX writer produces. */
export type PbeProfile = 'pbes2-aes256' | 'pkcs12-3des';

/** Encrypts with a fresh salt (and IV); returns the AlgorithmIdentifier and the ciphertext. Synchronous. */
export function pbeEncrypt(
  profile: PbeProfile,
  plain: Buffer,
  password: string | null,
  iterations: number,
): { algorithm: AlgorithmIdentifier; data: Buffer } {
  const algorithm = profile === 'pkcs12-3des' ? pkcs12TripleDes(iterations) : pbes2Aes256(iterations);
  // The reader's parser turns the written parameters into the spec: one description of each scheme.
  const pbe = parsePbe(algorithm);
  const [key, derivedIv] = kdfRequests(pbe, password).map(derive);
  const c = crypto.createCipheriv(pbe.cipher, key as Buffer, ivOf(pbe, derivedIv));
  return { algorithm, data: Buffer.concat([c.update(plain), c.final()]) };
}

function pkcs12TripleDes(iterations: number): AlgorithmIdentifier {
  const p = Object.assign(new Pkcs12PbeParams(), {
    salt: new OctetString(crypto.randomBytes(8)),
    iterations,
  });
  return new AlgorithmIdentifier({
    algorithm: ALG.pbeWithSHAAnd3KeyTripleDESCBC,
    parameters: AsnConvert.serialize(p),
  });
}

function pbes2Aes256(iterations: number): AlgorithmIdentifier {
  const kdfParams = Object.assign(new Pbkdf2Params(), {
    salt: new OctetString(crypto.randomBytes(16)),
    iterationCount: iterations,
    prf: new AlgorithmIdentifier({ algorithm: ALG.hmacWithSHA256, parameters: null }),
  });
  const p = Object.assign(new Pbes2Params(), {
    keyDerivationFunc: new AlgorithmIdentifier({
      algorithm: ALG.pbkdf2,
      parameters: AsnConvert.serialize(kdfParams),
    }),
    encryptionScheme: new AlgorithmIdentifier({
      algorithm: ALG.aes256Cbc,
      parameters: AsnConvert.serialize(new OctetString(crypto.randomBytes(16))),
    }),
  });
  return new AlgorithmIdentifier({ algorithm: ALG.pbes2, parameters: AsnConvert.serialize(p) });
}

/** PBES2 carries its IV in the parameters; PKCS#12 PBE derives it from the password (KDF id 2). */
function ivOf(pbe: Pbe, derived: Buffer | undefined): Buffer {
  return pbe.scheme === 'pbes2' ? pbe.iv : (derived ?? Buffer.alloc(0));
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
