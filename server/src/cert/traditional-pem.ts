import crypto from 'node:crypto';
import { cbcDecrypt, rc2Decrypt } from './block-ciphers.js';
import { pemBlocks, toPem } from './pem.js';

/**
 * Traditional OpenSSL PEM encryption ("Proc-Type: 4,ENCRYPTED" / "DEK-Info: <cipher>,<iv>") for the
 * ciphers Node's OpenSSL 3 lacks (its legacy provider is not loaded) but `openssl rsa -des` still writes:
 * single DES and RC2. The key is EVP_BytesToKey(MD5, one round, salt = the IV's first 8 bytes): cheap,
 * so it runs inline. Ciphers Node has (3DES, AES…) stay with createPrivateKey.
 */

const CIPHERS: Record<string, { keyLen: number; run: (key: Buffer, iv: Buffer, data: Buffer) => Buffer }> = {
  'DES-CBC': { keyLen: 8, run: (k, iv, d) => cbcDecrypt('des-cbc', k, iv, d) },
  'RC2-CBC': { keyLen: 16, run: (k, iv, d) => rc2Decrypt(k, iv, d, 128) },
  'RC2-64-CBC': { keyLen: 8, run: (k, iv, d) => rc2Decrypt(k, iv, d, 64) },
  'RC2-40-CBC': { keyLen: 5, run: (k, iv, d) => rc2Decrypt(k, iv, d, 40) },
};

/** The DEK-Info cipher name, upper case, or null when the header is missing. */
export function traditionalCipher(block: string): string | null {
  return /DEK-Info:\s*([A-Za-z0-9-]+)\s*,/i.exec(block)?.[1]?.toUpperCase() ?? null;
}

export function canDecryptTraditionally(cipher: string): boolean {
  return cipher in CIPHERS;
}

/**
 * Decrypts the block and answers it as unencrypted PEM under the same label. Throws BadDecrypt on
 * bad padding (the passphrase); a plain Error when the headers are unreadable.
 */
export function decryptTraditionalPem(block: string, passphrase: string): string {
  const cipher = traditionalCipher(block);
  const spec = cipher ? CIPHERS[cipher] : undefined;
  const ivHex = /DEK-Info:\s*[A-Za-z0-9-]+\s*,\s*([0-9A-Fa-f]+)/.exec(block)?.[1];
  const parsed = pemBlocks(block)[0];
  if (!spec || !ivHex || ivHex.length !== 16 || !parsed) throw new Error('unreadable DEK-Info');
  const iv = Buffer.from(ivHex, 'hex');
  const key = bytesToKey(Buffer.from(passphrase, 'utf8'), iv.subarray(0, 8), spec.keyLen);
  return toPem(parsed.label, spec.run(key, iv, parsed.der));
}

/** EVP_BytesToKey with MD5 and one round: D_i = MD5(D_{i-1} || password || salt). */
function bytesToKey(password: Buffer, salt: Buffer, keyLen: number): Buffer {
  const parts: Buffer[] = [];
  let prev = Buffer.alloc(0);
  while (Buffer.concat(parts).length < keyLen) {
    prev = crypto.createHash('md5').update(prev).update(password).update(salt).digest();
    parts.push(prev);
  }
  return Buffer.concat(parts).subarray(0, keyLen);
}
