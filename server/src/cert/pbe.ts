import crypto from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import { CertError } from './errors.js';

/**
 * Password-based decryption used inside PKCS#12 files: PBES2 (PBKDF2 + AES/3DES, OpenSSL 3 default)
 * and the legacy PKCS#12 PBE schemes (SHA-1 + 3DES or RC2-40). Done here with Node's crypto (RC2 with
 * node-forge: OpenSSL 3 only has it in the legacy provider) so every iteration count is checked
 * against a budget *before* any key derivation runs: a hostile file cannot make the server spin.
 */

/**
 * Work limit for one PFX: at most 1,000,000 iterations per derivation and a total budget where a PBKDF2
 * iteration (native, run on the thread pool) costs 1 and a PKCS#12-KDF iteration (a JS loop on the event
 * loop: MAC ×30, legacy key+IV ×60) costs more, so a hostile file blocks the loop for well under a second.
 */
export const PFX_WORK_LIMIT = { maxIterations: 1_000_000, budget: 3_000_000 };

export class WorkBudget {
  private left = PFX_WORK_LIMIT.budget;
  spend(iterations: number, weight: number): void {
    if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > PFX_WORK_LIMIT.maxIterations) {
      throw tooCostly();
    }
    this.left -= iterations * weight;
    if (this.left < 0) throw tooCostly();
  }
}

function tooCostly(): CertError {
  return new CertError(
    'PFX_TOO_COSTLY',
    `The PFX asks for more than ${PFX_WORK_LIMIT.maxIterations.toLocaleString('en')} key-derivation iterations; certdesk refuses it so a file cannot tie up the server. Re-export it with default settings.`,
  );
}

export function damaged(detail: string): CertError {
  return new CertError('PFX_DAMAGED', `The PFX/PKCS#12 file is damaged or truncated (${detail}).`);
}

function unsupported(what: string): CertError {
  return new CertError(
    'PFX_UNSUPPORTED',
    `The PFX uses ${what}, which certdesk does not read. Re-export it with AES-256 or 3DES.`,
  );
}

/** Thrown when decryption produces garbage: in a password-protected container that means the password. */
export class BadDecrypt extends Error {}

const HASHES: Record<string, { name: string; u: number; v: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', u: 20, v: 64 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', u: 28, v: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', u: 32, v: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', u: 48, v: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', u: 64, v: 128 },
};
export function hashByOid(oid: string): { name: string; u: number; v: number } {
  const h = HASHES[oid];
  if (!h) throw unsupported(`the digest ${oid}`);
  return h;
}

/** BMPString password with its two-byte terminator, as PKCS#12 wants it; null = "no password". */
export function bmpPassword(password: string | null): Buffer {
  if (password === null) return Buffer.alloc(0);
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

const hasOneShot = typeof (crypto as { hash?: unknown }).hash === 'function';
function oneShot(name: string, data: Buffer): Buffer {
  if (hasOneShot)
    return (crypto as unknown as { hash: (a: string, d: Buffer, e: 'buffer') => Buffer }).hash(
      name,
      data,
      'buffer',
    );
  return crypto.createHash(name).update(data).digest();
}

/** RFC 7292 appendix B.2 key derivation. */
export function pkcs12Kdf(
  hashName: string,
  u: number,
  v: number,
  pass: Buffer,
  salt: Buffer,
  id: number,
  iterations: number,
  n: number,
): Buffer {
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
    let A: Buffer = crypto.createHash(hashName).update(D).update(I).digest();
    // crypto.hash (one-shot, Node ≥ 20.12) is several times faster than createHash in this tight loop.
    for (let r = 1; r < iterations; r++) A = oneShot(hashName, A);
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

function parseDer(buf: ArrayBuffer | Buffer): asn1js.AsnType {
  const u8 =
    buf instanceof ArrayBuffer
      ? new Uint8Array(buf)
      : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = asn1js.fromBER(u8);
  if (r.offset === -1) throw damaged('unreadable algorithm parameters');
  return r.result;
}

function children(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Sequence)) throw damaged('unexpected algorithm parameters');
  return node.valueBlock.value;
}

function octets(node: asn1js.AsnType | undefined): Buffer {
  if (!(node instanceof asn1js.OctetString)) throw damaged('expected an octet string');
  return Buffer.from(node.getValue());
}

function int(node: asn1js.AsnType | undefined): number {
  if (!(node instanceof asn1js.Integer)) throw damaged('expected an integer');
  if (node.valueBlock.valueHexView.length > 6) return Number.MAX_SAFE_INTEGER; // budget refuses it
  return node.valueBlock.valueDec;
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHERS: Record<string, { name: string; keyLen: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLen: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLen: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLen: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLen: 24 },
};
const PKCS12_PBE: Record<
  string,
  { cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2'; keyLen: number; rc2Bits?: number }
> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLen: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLen: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLen: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLen: 5, rc2Bits: 40 },
};

/** Decrypts `data` encrypted under algorithm `oid` with DER `params`. Throws BadDecrypt on a wrong password. */
const pbkdf2 = promisify(crypto.pbkdf2);

export async function pbeDecrypt(
  oid: string,
  params: ArrayBuffer | null | undefined,
  data: Buffer,
  password: string,
  budget: WorkBudget,
): Promise<Buffer> {
  if (!params) throw damaged('missing encryption parameters');
  if (oid === PBES2) {
    const [kdf, enc] = children(parseDer(params));
    const [kdfOid, kdfParams] = children(kdf);
    if (!(kdfOid instanceof asn1js.ObjectIdentifier) || kdfOid.valueBlock.toString() !== PBKDF2)
      throw unsupported('a key derivation other than PBKDF2');
    const kp = children(kdfParams);
    const salt = octets(kp[0]);
    const iterations = int(kp[1]);
    let prf = 'sha1';
    for (const extra of kp.slice(2)) {
      if (extra instanceof asn1js.Sequence) {
        const prfOid = extra.valueBlock.value[0];
        const name =
          prfOid instanceof asn1js.ObjectIdentifier ? PRFS[prfOid.valueBlock.toString()] : undefined;
        if (!name) throw unsupported('an unknown PBKDF2 hash');
        prf = name;
      }
    }
    const [encOid, ivNode] = children(enc);
    const cipher =
      encOid instanceof asn1js.ObjectIdentifier ? CIPHERS[encOid.valueBlock.toString()] : undefined;
    if (!cipher) throw unsupported('an unknown cipher');
    const iv = octets(ivNode);
    budget.spend(iterations, 1);
    // Off the event loop: PBKDF2 runs on libuv's thread pool.
    const key = await pbkdf2(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLen, prf);
    return decipher(cipher.name, key, iv, data);
  }
  const legacy = PKCS12_PBE[oid];
  if (!legacy) throw unsupported(`the encryption algorithm ${oid}`);
  const [saltNode, iterNode] = children(parseDer(params));
  const salt = octets(saltNode);
  const iterations = int(iterNode);
  budget.spend(iterations, 60); // two derivations, each a JS loop of hashes on the event loop
  const pass = bmpPassword(password);
  const key = pkcs12Kdf('sha1', 20, 64, pass, salt, 1, iterations, legacy.keyLen);
  const iv = pkcs12Kdf('sha1', 20, 64, pass, salt, 2, iterations, 8);
  if (legacy.cipher === 'rc2') {
    const c = forge.rc2.createDecryptionCipher(
      forge.util.createBuffer(key.toString('binary')),
      legacy.rc2Bits ?? 128,
    );
    c.start(forge.util.createBuffer(iv.toString('binary')));
    c.update(forge.util.createBuffer(data.toString('binary')));
    if (!c.finish()) throw new BadDecrypt();
    return Buffer.from(c.output.getBytes(), 'binary');
  }
  return decipher(legacy.cipher, key, iv, data);
}

function decipher(name: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  try {
    const d = crypto.createDecipheriv(name, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_CRYPTO_INVALID_IV') throw damaged('bad IV length');
    throw new BadDecrypt();
  }
}
