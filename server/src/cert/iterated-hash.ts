import crypto from 'node:crypto';

/**
 * H^n(x): a hash applied n times to its own output, the inner loop of the PKCS#12 key derivation
 * (RFC 7292 B.2). Node has no native primitive for it and a call into crypto per round costs more than
 * the hash itself, so SHA-1 and SHA-256 — the digests of nearly every real PFX — run here as plain
 * 32-bit arithmetic on one padded block (3–4× faster); other digests loop over crypto.hash.
 * The results are checked against node:crypto by a property test.
 */

export function iterateHash(hashName: string, input: Buffer, rounds: number): Buffer {
  if (rounds <= 0) return input;
  if (hashName === 'sha1' && input.length === 20) return iterateSha1(input, rounds);
  if (hashName === 'sha256' && input.length === 32) return iterateSha256(input, rounds);
  let a = input;
  for (let r = 0; r < rounds; r++) a = crypto.hash(hashName, a, 'buffer') as unknown as Buffer;
  return a;
}

const SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const SHA256_IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

function iterateSha256(input: Buffer, rounds: number): Buffer {
  const w = new Int32Array(64);
  const h = new Int32Array(8);
  const iv = SHA256_IV;
  const k = SHA256_K;
  for (let i = 0; i < 8; i++) h[i] = input.readInt32BE(i * 4);
  for (let round = 0; round < rounds; round++) {
    // The message is the previous 32-byte digest: one block, padding and length (256 bits) fixed.
    for (let i = 0; i < 8; i++) w[i] = h[i] as number;
    w[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = 256;
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] as number;
      const w2 = w[i - 2] as number;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
    }
    let a = iv[0] as number;
    let b = iv[1] as number;
    let c = iv[2] as number;
    let d = iv[3] as number;
    let e = iv[4] as number;
    let f = iv[5] as number;
    let g = iv[6] as number;
    let hh = iv[7] as number;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + (k[i] as number) + (w[i] as number)) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = ((iv[0] as number) + a) | 0;
    h[1] = ((iv[1] as number) + b) | 0;
    h[2] = ((iv[2] as number) + c) | 0;
    h[3] = ((iv[3] as number) + d) | 0;
    h[4] = ((iv[4] as number) + e) | 0;
    h[5] = ((iv[5] as number) + f) | 0;
    h[6] = ((iv[6] as number) + g) | 0;
    h[7] = ((iv[7] as number) + hh) | 0;
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeInt32BE(h[i] as number, i * 4);
  return out;
}

const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0].map((x) => x | 0);

function iterateSha1(input: Buffer, rounds: number): Buffer {
  const w = new Int32Array(80);
  const h = new Int32Array(5);
  const [iv0, iv1, iv2, iv3, iv4] = SHA1_IV as [number, number, number, number, number];
  for (let i = 0; i < 5; i++) h[i] = input.readInt32BE(i * 4);
  for (let round = 0; round < rounds; round++) {
    // The message is the previous 20-byte digest: one block, padding and length (160 bits) fixed.
    for (let i = 0; i < 5; i++) w[i] = h[i] as number;
    w[5] = 0x80000000 | 0;
    for (let i = 6; i < 15; i++) w[i] = 0;
    w[15] = 160;
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number);
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = iv0;
    let b = iv1;
    let c = iv2;
    let d = iv3;
    let e = iv4;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] = (iv0 + a) | 0;
    h[1] = (iv1 + b) | 0;
    h[2] = (iv2 + c) | 0;
    h[3] = (iv3 + d) | 0;
    h[4] = (iv4 + e) | 0;
  }
  const out = Buffer.alloc(20);
  for (let i = 0; i < 5; i++) out.writeInt32BE(h[i] as number, i * 4);
  return out;
}
