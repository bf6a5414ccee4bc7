import crypto, { type KeyObject, type X509Certificate } from 'node:crypto';
import { pkcs12Kdf as deriveKey } from './pbe.js';

/**
 * A PKCS#12 (.pfx/.p12) writer (RFC 7292), built from Node crypto and a few DER primitives.
 * Why not a library: node-forge only wraps RSA keys and always MACs with SHA-1; pkijs cannot write the
 * PKCS#12 3DES PBE that old Windows and Java need. Two profiles, matching OpenSSL 3:
 *  - aes256: certificates and key encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), SHA-256 MAC —
 *    what `openssl pkcs12 -export` writes by default.
 *  - legacy: pbeWithSHAAnd3-KeyTripleDES-CBC for both bags, SHA-1 MAC — what `-legacy` / Windows
 *    "TripleDES-SHA1" writes (we use 3DES for the certificates too instead of RC2-40).
 */

export type PfxEncryption = 'aes256' | 'legacy';

export interface PfxInput {
  key: KeyObject;
  cert: X509Certificate;
  /** Intermediates (and root if wanted), leaf side first. */
  chain: X509Certificate[];
  password: string;
  encryption: PfxEncryption;
  friendlyName?: string;
  iterations?: number;
}

// --- DER ---------------------------------------------------------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer) => tlv(0x04, b);
const nul = () => Buffer.from([0x05, 0x00]);
/** [n] EXPLICIT (constructed, context-specific). */
const explicit = (n: number, body: Buffer) => tlv(0xa0 | n, body);

function int(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0) bytes.push(0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [(parts[0] as number) * 40 + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const b: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) b.unshift(0x80 | (v & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BMPString bytes (UTF-16BE), as PKCS#12 wants passwords and friendly names. */
function bmp(s: string, terminator: boolean): Buffer {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] as number;
    be[i + 1] = le[i] as number;
  }
  return terminator ? Buffer.concat([be, Buffer.alloc(2)]) : be;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
};

// --- PKCS#12 key derivation (RFC 7292 appendix B) ------------------------------------------------------

/** RFC 7292 appendix B.2 key derivation (the reader's implementation, with the writer's arguments). */
export function pkcs12Kdf(
  password: string,
  salt: Buffer,
  id: 1 | 2 | 3,
  iterations: number,
  hash: 'sha1' | 'sha256',
  n: number,
): Buffer {
  return deriveKey(hash, hash === 'sha1' ? 20 : 32, 64, bmp(password, true), salt, id, iterations, n);
}

// --- encryption of a bag's content -----------------------------------------------------------------

/** Encrypts `plain`; returns the AlgorithmIdentifier (DER) and the ciphertext. */
function encrypt(
  plain: Buffer,
  password: string,
  encryption: PfxEncryption,
  iterations: number,
): { alg: Buffer; data: Buffer } {
  if (encryption === 'legacy') {
    const salt = crypto.randomBytes(8);
    const key = pkcs12Kdf(password, salt, 1, iterations, 'sha1', 24);
    const iv = pkcs12Kdf(password, salt, 2, iterations, 'sha1', 8);
    const c = crypto.createCipheriv('des-ede3-cbc', key, iv);
    return {
      alg: seq(oid(OID.pbeSha3Des), seq(octets(salt), int(iterations))),
      data: Buffer.concat([c.update(plain), c.final()]),
    };
  }
  // PBES2: OpenSSL feeds the password to PBKDF2 as its UTF-8 bytes (not BMPString).
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(16);
  const key = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const c = crypto.createCipheriv('aes-256-cbc', key, iv);
  const alg = seq(
    oid(OID.pbes2),
    seq(
      seq(oid(OID.pbkdf2), seq(octets(salt), int(iterations), seq(oid(OID.hmacWithSHA256), nul()))),
      seq(oid(OID.aes256Cbc), octets(iv)),
    ),
  );
  return { alg, data: Buffer.concat([c.update(plain), c.final()]) };
}

// --- the file --------------------------------------------------------------------------------------

export function buildPfx(input: PfxInput): Buffer {
  const iterations = input.iterations ?? 2048;
  const { password, encryption } = input;
  const localKeyId = crypto.createHash('sha1').update(input.cert.raw).digest();
  const leafAttrs = [seq(oid(OID.localKeyId), set(octets(localKeyId)))];
  if (input.friendlyName)
    leafAttrs.push(seq(oid(OID.friendlyName), set(tlv(0x1e, bmp(input.friendlyName, false)))));

  const certBag = (c: X509Certificate, attrs: Buffer[]) =>
    seq(
      oid(OID.certBag),
      explicit(0, seq(oid(OID.x509Certificate), explicit(0, octets(c.raw)))),
      ...(attrs.length ? [set(...attrs)] : []),
    );
  const certSafe = seq(certBag(input.cert, leafAttrs), ...input.chain.map((c) => certBag(c, [])));
  const enc = encrypt(certSafe, password, encryption, iterations);
  const certContentInfo = seq(
    oid(OID.encryptedData),
    explicit(0, seq(int(0), seq(oid(OID.data), enc.alg, tlv(0x80, enc.data)))),
  );

  const pkcs8 = input.key.export({ type: 'pkcs8', format: 'der' });
  const keyEnc = encrypt(pkcs8, password, encryption, iterations);
  const shrouded = seq(keyEnc.alg, octets(keyEnc.data)); // EncryptedPrivateKeyInfo
  const keySafe = seq(seq(oid(OID.shroudedKeyBag), explicit(0, shrouded), set(...leafAttrs)));
  const keyContentInfo = seq(oid(OID.data), explicit(0, octets(keySafe)));

  const authSafe = seq(certContentInfo, keyContentInfo);
  const macHash = encryption === 'legacy' ? 'sha1' : 'sha256';
  const macSalt = crypto.randomBytes(encryption === 'legacy' ? 8 : 16);
  const macKey = pkcs12Kdf(password, macSalt, 3, iterations, macHash, macHash === 'sha1' ? 20 : 32);
  const mac = crypto.createHmac(macHash, macKey).update(authSafe).digest();
  const macData = seq(
    seq(seq(oid(macHash === 'sha1' ? OID.sha1 : OID.sha256), nul()), octets(mac)),
    octets(macSalt),
    int(iterations),
  );

  return seq(int(3), seq(oid(OID.data), explicit(0, octets(authSafe))), macData);
}
