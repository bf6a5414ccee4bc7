import crypto, { type KeyObject, X509Certificate } from 'node:crypto';
import { EncryptedPrivateKeyInfo, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { CertError } from './errors.js';
import {
  BadDecrypt,
  checkKdfCost,
  cipherAvailable,
  type KdfRunner,
  parsePbe,
  pbeDecrypt,
  unsupportedEncryption,
} from './pbe.js';
import { toPem } from './pem.js';
import { canDecryptTraditionally, decryptTraditionalPem, traditionalCipher } from './traditional-pem.js';

/**
 * Reading a private key the way an administrator hands it over: PEM or DER; PKCS#1, PKCS#8 or SEC1;
 * plain, PKCS#8-encrypted (PBES2 with PBKDF2 or scrypt, PKCS#12 PBE, or PKCS#5 v1.5 PBES1) or
 * traditional "Proc-Type: 4,ENCRYPTED" (traditional-pem.ts for DES and RC2); DSA in traditional DER too. An encrypted PKCS#8 key is decrypted by pbe.ts, not by createPrivateKey:
 * its key-derivation cost is read and checked first and the derivation runs in the worker pool (a file
 * chooses its own iteration count), and an algorithm certdesk cannot decrypt is named instead of passing
 * for a wrong passphrase. This module decides which error the user sees, because OpenSSL's own messages
 * ("interrupted or cancelled", "bad decrypt") say nothing to a person.
 */

export type KeyErrorCode =
  | 'KEY_PASSPHRASE_REQUIRED'
  | 'WRONG_PASSWORD'
  | 'NOT_A_PRIVATE_KEY'
  | 'UNSUPPORTED_KEY_TYPE';

export function keyError(code: KeyErrorCode, message: string): CertError {
  return new CertError(code, message);
}

export interface PrivateKeyReading {
  key: KeyObject;
  /** The input was protected by a passphrase. */
  encrypted: boolean;
  encoding: 'pem' | 'der';
  /** The container the key came in. */
  format: 'pkcs8' | 'pkcs1' | 'sec1' | 'dsa';
}

export interface ReadKeyOptions {
  /**
   * Accept keys certdesk cannot serve (DSA, RSA-PSS, Ed25519, X25519…): the decode tool shows any key openssl
   * shows; import and attach refuse them with UNSUPPORTED_KEY_TYPE.
   */
  anyKeyType?: boolean;
}

const MAX_KEY_BYTES = 1024 * 1024;
const SUPPORTED_TYPES = new Set(['rsa', 'ec']);

const PRIVATE_LABELS: Record<string, PrivateKeyReading['format'] | 'unsupported'> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'DSA PRIVATE KEY': 'unsupported',
  'OPENSSH PRIVATE KEY': 'unsupported',
};

/** What a non-key PEM label is, in words. */
const LABEL_WORDS: Record<string, string> = {
  CERTIFICATE: 'a certificate',
  'TRUSTED CERTIFICATE': 'a certificate',
  'X509 CERTIFICATE': 'a certificate',
  'CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
  'NEW CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
  'PUBLIC KEY': 'a public key',
  'RSA PUBLIC KEY': 'a public key',
  PKCS7: 'a PKCS#7 bundle (.p7b)',
  CMS: 'a PKCS#7 bundle (.p7b)',
  'X509 CRL': 'a certificate revocation list',
  'EC PARAMETERS': 'EC parameters without a key',
  'DH PARAMETERS': 'Diffie-Hellman parameters',
};

/**
 * Reads a private key, decrypting it with `passphrase` when it is encrypted. Throws CertError (422):
 * NOT_A_PRIVATE_KEY, KEY_PASSPHRASE_REQUIRED, WRONG_PASSWORD, UNSUPPORTED_ENCRYPTION, UNSUPPORTED_KEY_TYPE,
 * KDF_TOO_COSTLY, KDF_TIMEOUT.
 */
export async function readPrivateKey(
  data: Buffer | string,
  passphrase: string | undefined,
  kdf: KdfRunner,
): Promise<KeyObject> {
  return (await inspectPrivateKey(data, passphrase, kdf)).key;
}

/** Like readPrivateKey, and also says how the key was stored (the tools page shows it). */
export async function inspectPrivateKey(
  data: Buffer | string,
  passphrase: string | undefined,
  kdf: KdfRunner,
  options: ReadKeyOptions = {},
): Promise<PrivateKeyReading> {
  const typed = options.anyKeyType ? (key: KeyObject) => key : checkType;
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size === 0) throw keyError('NOT_A_PRIVATE_KEY', 'The file is empty.');
  if (size > MAX_KEY_BYTES) {
    throw keyError('NOT_A_PRIVATE_KEY', 'The file is too large to be a private key (over 1 MB).');
  }
  const text = typeof data === 'string' ? data : looksLikeText(data) ? data.toString('latin1') : null;
  if (text?.includes('-----BEGIN ')) return guarded(() => readPem(text, passphrase, kdf, typed));
  if (typeof data === 'string') {
    throw keyError(
      'NOT_A_PRIVATE_KEY',
      'This is not a private key: it has no "-----BEGIN … PRIVATE KEY-----" block.',
    );
  }
  return guarded(() => readDer(data, passphrase, kdf, typed));
}

/** The ASN.1 and crypto layers throw RangeError/TypeError on some damaged input: that is still bad input. */
async function guarded(read: () => Promise<PrivateKeyReading>): Promise<PrivateKeyReading> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof CertError) throw err;
    throw keyError('NOT_A_PRIVATE_KEY', 'This is not a private key, or it is damaged: it cannot be read.');
  }
}

function looksLikeText(buf: Buffer): boolean {
  // DER always starts with a SEQUENCE tag (0x30); PEM starts with text. Peek at the start only.
  return buf[0] !== 0x30 || buf.subarray(0, 64).includes(Buffer.from('-----BEGIN'));
}

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 #]+)-----[\s\S]*?-----END \1-----/g;
  for (const m of text.matchAll(re)) out.push({ label: m[1] as string, text: m[0] });
  return out;
}

async function readPem(
  text: string,
  passphrase: string | undefined,
  kdf: KdfRunner,
  typed: (key: KeyObject) => KeyObject,
): Promise<PrivateKeyReading> {
  const blocks = pemBlocks(text);
  const keyBlock = blocks.find((b) => b.label in PRIVATE_LABELS);
  if (!keyBlock) {
    if (blocks.length === 0) {
      throw keyError(
        'NOT_A_PRIVATE_KEY',
        'This is not a private key: the PEM text is incomplete (no matching END line).',
      );
    }
    const what = blocks.map((b) => LABEL_WORDS[b.label] ?? `a PEM block labelled "${b.label}"`);
    throw keyError(
      'NOT_A_PRIVATE_KEY',
      `This is not a private key: it looks like ${unique(what).join(' and ')}.`,
    );
  }
  const dsaShown = keyBlock.label === 'DSA PRIVATE KEY' && typed !== checkType;
  const format = dsaShown ? 'dsa' : PRIVATE_LABELS[keyBlock.label];
  if (format === 'unsupported' || format === undefined) {
    const hint =
      keyBlock.label === 'OPENSSH PRIVATE KEY'
        ? 'This is an OpenSSH key; TLS needs an RSA or ECDSA key in PEM (PKCS#8 or PKCS#1) form.'
        : 'DSA keys cannot be used for TLS certificates here; use an RSA or ECDSA key.';
    throw keyError('UNSUPPORTED_KEY_TYPE', hint);
  }
  if (keyBlock.label === 'ENCRYPTED PRIVATE KEY') {
    const key = await decryptPkcs8(pemBody(keyBlock.text), passphrase, kdf);
    return { key: typed(key), encrypted: true, encoding: 'pem', format };
  }
  const encrypted = /Proc-Type:\s*4,\s*ENCRYPTED/i.test(keyBlock.text);
  if (encrypted) {
    const cipher = traditionalCipher(keyBlock.text);
    if (cipher && canDecryptTraditionally(cipher)) {
      const key = readTraditional(keyBlock.text, passphrase);
      return { key: typed(key), encrypted, encoding: 'pem', format };
    }
    checkTraditionalCipher(cipher);
  }
  const key = createKey({ key: keyBlock.text, format: 'pem' }, encrypted, passphrase);
  return { key: typed(key), encrypted, encoding: 'pem', format };
}

async function readDer(
  der: Buffer,
  passphrase: string | undefined,
  kdf: KdfRunner,
  typed: (key: KeyObject) => KeyObject,
): Promise<PrivateKeyReading> {
  const shape = derShape(der);
  if (shape === 'encrypted-pkcs8') {
    const key = await decryptPkcs8(der, passphrase, kdf);
    return { key: typed(key), encrypted: true, encoding: 'der', format: 'pkcs8' };
  }
  if (shape === 'dsa') {
    // Node reads traditional DSA only as PEM: the same bytes under their PEM label.
    const key = createKey({ key: toPem('DSA PRIVATE KEY', der), format: 'pem' }, false, undefined);
    return { key: typed(key), encrypted: false, encoding: 'der', format: 'dsa' };
  }
  const format = shape === 'pkcs8' || shape === 'pkcs1' || shape === 'sec1' ? shape : null;
  if (format) {
    const key = createKey({ key: der, format: 'der', type: format }, false, undefined);
    return { key: typed(key), encrypted: false, encoding: 'der', format };
  }
  throw keyError(
    'NOT_A_PRIVATE_KEY',
    `This is not a private key: it looks like ${describeOtherDer(der, shape)}.`,
  );
}

function pemBody(block: string): Buffer {
  const body = block.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

function wrongPassphrase(): CertError {
  return keyError('WRONG_PASSWORD', 'The passphrase is wrong: the private key could not be decrypted.');
}

/**
 * An EncryptedPrivateKeyInfo: what it is encrypted with and how costly that is are checked before the
 * passphrase is asked for, so the answer is the true obstacle.
 */
async function decryptPkcs8(der: Buffer, passphrase: string | undefined, kdf: KdfRunner): Promise<KeyObject> {
  const epki = AsnConvert.parse(der, EncryptedPrivateKeyInfo);
  const pbe = parsePbe(epki.encryptionAlgorithm);
  checkKdfCost(pbe);
  if (!passphrase) {
    throw keyError('KEY_PASSPHRASE_REQUIRED', 'The private key is encrypted. Enter its passphrase.');
  }
  try {
    return keyFromPkcs8(await pbeDecrypt(pbe, Buffer.from(epki.encryptedData.buffer), passphrase, kdf));
  } catch (err) {
    if (err instanceof BadDecrypt) throw wrongPassphrase();
    throw err;
  }
}

/**
 * The key in decrypted PKCS#8. Not a PrivateKeyInfo at all: BadDecrypt (a wrong password can still end
 * in valid-looking padding, and what comes out is garbage). A PrivateKeyInfo Node cannot load: the
 * password was right and the key type is the obstacle, so say that.
 */
export function keyFromPkcs8(der: Buffer): KeyObject {
  let info: PrivateKeyInfo;
  try {
    info = AsnConvert.parse(der, PrivateKeyInfo);
  } catch {
    throw new BadDecrypt();
  }
  try {
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    const oid = info.privateKeyAlgorithm.algorithm;
    throw keyError('UNSUPPORTED_KEY_TYPE', `This private key is of a type certdesk cannot read (${oid}).`);
  }
}

/** Traditional PEM encryption with a cipher Node has ("DEK-Info: AES-256-CBC,…")? Else name it. */
function checkTraditionalCipher(name: string | null): void {
  if (!name) return; // createKey reports the damage
  if (!cipherAvailable(name.toLowerCase())) {
    throw unsupportedEncryption(`${name} (traditional OpenSSL PEM encryption)`);
  }
}

/** DES or RC2 traditional encryption, which Node cannot decrypt: decrypted here, then read as plain PEM. */
function readTraditional(block: string, passphrase: string | undefined): KeyObject {
  if (!passphrase) {
    throw keyError('KEY_PASSPHRASE_REQUIRED', 'The private key is encrypted. Enter its passphrase.');
  }
  let plain: string;
  try {
    plain = decryptTraditionalPem(block, passphrase);
  } catch (err) {
    if (err instanceof BadDecrypt) throw wrongPassphrase();
    throw keyError('NOT_A_PRIVATE_KEY', 'The private key is damaged or truncated and cannot be read.');
  }
  // Valid padding with a wrong passphrase still happens (1 in 256): garbage that is no key.
  return createKey({ key: plain, format: 'pem' }, true, passphrase, false);
}

function createKey(
  input: { key: string | Buffer; format: 'pem' | 'der'; type?: 'pkcs8' | 'pkcs1' | 'sec1' },
  encrypted: boolean,
  passphrase: string | undefined,
  /** false: the input was encrypted but is decrypted already. */
  passOn = encrypted,
): KeyObject {
  if (encrypted && !passphrase) {
    throw keyError('KEY_PASSPHRASE_REQUIRED', 'The private key is encrypted. Enter its passphrase.');
  }
  try {
    return crypto.createPrivateKey(passOn ? { ...input, passphrase } : input);
  } catch {
    // Traditional encryption with a cipher Node has (checked above): a failure is the passphrase (a wrong
    // one can also yield padding that happens to be valid and then garbage ASN.1).
    if (encrypted) throw wrongPassphrase();
    throw keyError('NOT_A_PRIVATE_KEY', 'The private key is damaged or truncated and cannot be read.');
  }
}

/** Refuses key types certdesk cannot serve (Ed25519, DSA, ...) with 422 UNSUPPORTED_KEY_TYPE. */
export function checkType(key: KeyObject): KeyObject {
  const type = key.asymmetricKeyType ?? 'unknown';
  if (!SUPPORTED_TYPES.has(type)) {
    throw keyError(
      'UNSUPPORTED_KEY_TYPE',
      `This is a ${type.toUpperCase()} key; TLS certificates here need an RSA or ECDSA (EC) key.`,
    );
  }
  return key;
}

type DerShape =
  | 'pkcs8'
  | 'encrypted-pkcs8'
  | 'pkcs1'
  | 'sec1'
  | 'dsa'
  | 'pkcs12'
  | 'pkcs7'
  | 'signed'
  | 'spki'
  | 'asn1'
  | 'none';

/** Classifies a DER blob by its outer ASN.1 structure, without trusting the file name. */
function derShape(der: Buffer): DerShape {
  const parsed = asn1js.fromBER(new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return 'none';
  const items = parsed.result.valueBlock.value;
  const [a, b, c] = items;
  const intValue = (x: unknown) => (x instanceof asn1js.Integer ? x.valueBlock.valueDec : null);
  if (a instanceof asn1js.Integer) {
    const v = intValue(a);
    if ((v === 0 || v === 1) && b instanceof asn1js.Sequence && c instanceof asn1js.OctetString)
      return 'pkcs8';
    if (v === 0 && items.length >= 9 && items.every((x) => x instanceof asn1js.Integer)) return 'pkcs1';
    // DSAPrivateKey (OpenSSL's traditional form): version 0, p, q, g, y, x.
    if (v === 0 && items.length === 6 && items.every((x) => x instanceof asn1js.Integer)) return 'dsa';
    if (v === 1 && b instanceof asn1js.OctetString) return 'sec1';
    if (v === 3 && b instanceof asn1js.Sequence) return 'pkcs12';
    return 'asn1';
  }
  if (a instanceof asn1js.ObjectIdentifier)
    return a.valueBlock.toString() === '1.2.840.113549.1.7.2' ? 'pkcs7' : 'asn1';
  if (a instanceof asn1js.Sequence && items.length === 2 && b instanceof asn1js.OctetString)
    return 'encrypted-pkcs8';
  if (a instanceof asn1js.Sequence && items.length === 2 && b instanceof asn1js.BitString) return 'spki';
  if (a instanceof asn1js.Sequence && items.length === 3 && c instanceof asn1js.BitString) return 'signed';
  return 'asn1';
}

function describeOtherDer(der: Buffer, shape: DerShape): string {
  switch (shape) {
    case 'pkcs12':
      return 'a PKCS#12 / PFX file; upload it as a .pfx with its password instead';
    case 'pkcs7':
      return 'a PKCS#7 bundle (.p7b), which holds certificates but never a private key';
    case 'spki':
      return 'a public key';
    case 'signed':
      try {
        new X509Certificate(der);
        return 'a certificate';
      } catch {
        return 'a signed ASN.1 object such as a certificate signing request (CSR)';
      }
    case 'asn1':
      return 'DER-encoded data of an unknown kind';
    default:
      return 'neither PEM text nor DER data';
  }
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
