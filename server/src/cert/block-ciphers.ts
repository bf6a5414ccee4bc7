import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';

/**
 * The block and stream ciphers of password-based encryption, for what Node's OpenSSL 3 lacks (its
 * legacy provider is not loaded): single DES runs as 3DES with one key three times (EDE with K1 = K2 =
 * K3 is DES), RC2 in node-forge, RC4 here. A padding that does not check out throws BadDecrypt.
 */

const require = createRequire(import.meta.url);
let forgeLoaded: typeof Forge | undefined;
/** node-forge (~40 modules) is loaded for the first RC2 file, not at every start. */
function loadForge(): typeof Forge {
  forgeLoaded ??= require('node-forge') as typeof Forge;
  return forgeLoaded;
}

/** Thrown when decryption produces garbage: in a password-protected container that means the password. */
export class BadDecrypt extends Error {}

/** PKCS#7 padding of an 8-byte block cipher, every byte checked. */
function unpad(plain: Buffer): Buffer {
  const n = plain[plain.length - 1] ?? 0;
  if (n < 1 || n > 8 || n > plain.length) throw new BadDecrypt();
  for (let i = plain.length - n; i < plain.length; i++) if (plain[i] !== n) throw new BadDecrypt();
  return plain.subarray(0, plain.length - n);
}

/** A cipher Node runs; single DES as 3DES with K1 = K2 = K3, which is DES itself. */
export function cbcDecrypt(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const [name, k] = cipher === 'des-cbc' ? ['des-ede3-cbc', Buffer.concat([key, key, key])] : [cipher, key];
  try {
    const d = crypto.createDecipheriv(name, k, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_CRYPTO_INVALID_IV') throw new Error('bad IV length');
    throw new BadDecrypt();
  }
}

/**
 * RC2-CBC with node-forge: OpenSSL 3 has RC2 only in its legacy provider, which Node does not load.
 * `bits` is the effective key length (RFC 2268), which may be less than the key's.
 */
export function rc2Decrypt(key: Buffer, iv: Buffer, data: Buffer, bits = key.length * 8): Buffer {
  if (iv.length !== 8) throw new Error('bad IV length');
  if (data.length === 0 || data.length % 8 !== 0) throw new BadDecrypt();
  const forge = loadForge();
  const c = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), bits);
  c.start(forge.util.createBuffer(iv.toString('binary')));
  c.update(forge.util.createBuffer(data.toString('binary')));
  // forge's own unpadding checks only the count; keep the padding and check every byte, as OpenSSL does.
  if (!c.finish(() => true)) throw new BadDecrypt();
  return unpad(Buffer.from(c.output.getBytes(), 'binary'));
}

/** RC4 (old Windows and Netscape exports), a stream cipher: a wrong password shows only as garbage. */
export function rc4(key: Buffer, data: Buffer): Buffer {
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
