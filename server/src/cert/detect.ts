import { type KeyObject, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CertError } from './errors.js';
import type { KdfRunner } from './pbe.js';
import { looksLikeText, pemBlocks } from './pem.js';
import { emptyPkcs7, looksLikePkcs7, readPkcs7 } from './pkcs7.js';
import { looksLikePkcs12, readPkcs12 } from './pkcs12.js';
import { readPrivateKey } from './private-key.js';
import { type CertInfo, certInfo, unsupportedCertificate } from './x509-info.js';

/**
 * Format detection from content, never from the file name: PEM or DER certificate, PEM bundle,
 * PKCS#7 (PEM or DER), PKCS#12, private keys (PKCS#1/PKCS#8/SEC1, plain or encrypted). Anything else is
 * an UNRECOGNIZED_FILE whose sentence says what the file looks like.
 */

export interface UploadedFile {
  name: string;
  data: Buffer;
  /** 'intermediate' = uploaded in the manual-mode intermediates field. */
  role: 'file' | 'intermediate';
}

export interface FoundCert {
  info: CertInfo;
  role: UploadedFile['role'];
  friendlyName: string | null;
  localKeyId: string | null;
}

export interface FoundKey {
  key: KeyObject;
  source: string;
  localKeyId: string | null;
}

export interface DetectedFile {
  name: string;
  format: 'pem' | 'der-certificate' | 'pkcs7' | 'pkcs12' | 'private-key';
  certs: FoundCert[];
  keys: FoundKey[];
}

export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Certificates one upload may hold. A certificate with its chain is a handful and a bundle of roots a few
 * hundred; reading one costs ~1 ms, so the 1 MiB files allowed could hold thousands and keep the server
 * from answering anyone else for seconds.
 */
export const MAX_CERTIFICATES = 300;

export function tooManyCertificates(where: string, count: number): CertError {
  return new CertError(
    'TOO_MANY_CERTIFICATES',
    `${where} holds ${count} certificates; certdesk reads at most ${MAX_CERTIFICATES} in one upload. A certificate and its chain are a handful: leave out what is not part of it.`,
    { count },
  );
}

/** Lets other requests in between certificates: reading a few hundred is ~0.3 s of work. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

function unrecognized(name: string, looksLike: string, hint = ''): CertError {
  return new CertError('UNRECOGNIZED_FILE', `${name}: this is ${looksLike}${hint ? `. ${hint}` : ''}.`, {
    file: name,
  });
}

const CSR_HINT = 'Send the CSR to your certificate authority and import the certificate it returns';

/** Re-labels an error from a parser with the file it came from. */
function withFile(name: string, err: unknown): CertError {
  if (err instanceof CertError) {
    return err.withMessage(err.message.startsWith(name) ? err.message : `${name}: ${err.message}`, {
      file: name,
    });
  }
  return unrecognized(name, 'a damaged file that cannot be read');
}

/** `kdf` runs the password-based derivations of an encrypted PFX or key (the worker pool in production). */
export async function detectFile(
  file: UploadedFile,
  password: string,
  kdf: KdfRunner,
): Promise<DetectedFile> {
  try {
    return await detect(file, password, kdf);
  } catch (err) {
    throw withFile(file.name, err);
  }
}

async function detect(file: UploadedFile, password: string, kdf: KdfRunner): Promise<DetectedFile> {
  const { name, data } = file;
  if (data.length === 0) throw unrecognized(name, 'an empty file');
  if (data.length > MAX_FILE_BYTES) {
    throw new CertError(
      'FILE_TOO_LARGE',
      `${name}: the file is over 1 MiB; certificates, keys and PFX files are far smaller.`,
      {
        file: name,
      },
    );
  }
  const out: DetectedFile = { name, format: 'pem', certs: [], keys: [] };
  let read = 0;
  const cert = (der: Buffer, extra: Partial<FoundCert> = {}): FoundCert => ({
    info: certInfo(der, name),
    role: file.role,
    friendlyName: null,
    localKeyId: null,
    ...extra,
  });

  if (looksLikeText(data)) {
    const text = data.toString('utf8');
    const blocks = pemBlocks(text);
    if (blocks.length > MAX_CERTIFICATES) throw tooManyCertificates(name, blocks.length);
    const others: string[] = [];
    let emptyBundles = 0;
    for (const b of blocks) {
      if (++read % 8 === 0) await breathe();
      if (b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE') {
        out.certs.push(cert(b.der));
      } else if (b.label === 'PKCS7' || b.label === 'CMS') {
        const ders = readPkcs7(b.der);
        if (ders.length === 0) emptyBundles++;
        if (out.certs.length + ders.length > MAX_CERTIFICATES)
          throw tooManyCertificates(name, out.certs.length + ders.length);
        for (const d of ders) {
          if (++read % 8 === 0) await breathe();
          out.certs.push(cert(d));
        }
      } else if (b.label.endsWith('PRIVATE KEY')) {
        out.keys.push({
          key: await readPrivateKey(b.text, password || undefined, kdf),
          source: name,
          localKeyId: null,
        });
      } else {
        others.push(b.label);
      }
    }
    if (out.certs.length || out.keys.length) return out;
    if (emptyBundles > 0) throw emptyPkcs7();
    if (others.some((l) => l.includes('CERTIFICATE REQUEST'))) {
      throw unrecognized(name, 'a certificate signing request (CSR), not a certificate', CSR_HINT);
    }
    if (others.some((l) => l.includes('PUBLIC KEY'))) {
      throw unrecognized(
        name,
        'a public key, not a certificate or private key',
        'Upload the certificate your CA issued, and its private key if certdesk did not make the CSR',
      );
    }
    if (others.includes('X509 CRL'))
      throw unrecognized(name, 'a certificate revocation list (CRL), not a certificate');
    if (others.length)
      throw unrecognized(
        name,
        `a PEM block labelled "${others[0]}", which is not a certificate, bundle or key`,
      );
    if (text.includes('-----BEGIN ')) {
      throw unrecognized(
        name,
        'PEM text that is cut off (a BEGIN line without its END line)',
        'Copy the whole block, BEGIN to END',
      );
    }
    const trimmed = text.trim();
    if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-)/.test(trimmed))
      throw unrecognized(name, 'an SSH public key, not a TLS certificate');
    if (/^[{[]/.test(trimmed)) throw unrecognized(name, 'JSON text, not a certificate');
    if (/^</.test(trimmed))
      throw unrecognized(
        name,
        'an HTML or XML page, not a certificate',
        'If you downloaded it from your CA, look for a "download certificate" link for PEM or DER',
      );
    if (trimmed.length > 0 && /^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
      // Base64 without the BEGIN/END armour: read it as DER.
      return detectDer(
        { ...file, data: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64') },
        password,
        kdf,
        cert,
      );
    }
    throw unrecognized(name, 'plain text without any certificate or key in it');
  }
  return detectDer(file, password, kdf, cert);
}

async function detectDer(
  file: UploadedFile,
  password: string,
  kdf: KdfRunner,
  cert: (der: Buffer, extra?: Partial<FoundCert>) => FoundCert,
): Promise<DetectedFile> {
  const { name, data } = file;
  if (data.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    throw unrecognized(name, 'a ZIP archive', 'Unzip it and upload the files inside');
  }
  if (data[0] !== 0x30)
    throw unrecognized(name, 'binary data that is not a certificate, key, PKCS#7 or PFX file');
  const cut = cutOff(data, name);
  if (cut) throw cut;
  if (looksLikePkcs12(data)) {
    const p12 = await readPkcs12(data, password, kdf);
    return {
      name,
      format: 'pkcs12',
      certs: p12.certs.map((c) => cert(c.der, { friendlyName: c.friendlyName, localKeyId: c.localKeyId })),
      keys: p12.keys.map((k) => ({ key: k.key, source: name, localKeyId: k.localKeyId })),
    };
  }
  if (looksLikePkcs7(data)) {
    const ders = readPkcs7(data);
    if (ders.length === 0) throw emptyPkcs7();
    if (ders.length > MAX_CERTIFICATES) throw tooManyCertificates(name, ders.length);
    const certs: FoundCert[] = [];
    for (const [i, d] of ders.entries()) {
      if (i % 8 === 7) await breathe();
      certs.push(cert(d));
    }
    return { name, format: 'pkcs7', certs, keys: [] };
  }
  if (isCertificate(data)) return { name, format: 'der-certificate', certs: [cert(data)], keys: [] };
  const unsupported = unsupportedCertificate(data, name);
  if (unsupported) throw unsupported;
  const shape = derShape(data);
  if (shape === 'csr')
    throw unrecognized(name, 'a certificate signing request (CSR), not a certificate', CSR_HINT);
  if (shape === 'spki') throw unrecognized(name, 'a public key, not a certificate or private key');
  // Last: a private key (the key reader says what it is not, in words).
  return {
    name,
    format: 'private-key',
    certs: [],
    keys: [{ key: await readPrivateKey(data, password || undefined, kdf), source: name, localKeyId: null }],
  };
}

/** Bytes the outer DER element says it holds, header included; null when its length is unreadable or BER's indefinite one. */
function declaredLength(der: Buffer): number | null {
  if (der.length < 2) return null;
  const first = der[1] as number;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || der.length < 2 + octets) return null;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] as number);
  return 2 + octets + length;
}

/**
 * A binary file shorter than its own outer length says: a download or copy that stopped early, or a
 * transfer in text mode. Named by how it starts, so the answer is not "this is not a private key" (the
 * last reader tried) for what is a cut-off certificate or PFX.
 */
function cutOff(der: Buffer, name: string): CertError | null {
  const declared = declaredLength(der);
  if (declared === null || declared <= der.length) return null;
  const header = 2 + (der[1]! >= 0x80 ? der[1]! & 0x7f : 0);
  const inner = der.subarray(header, header + 3);
  const [code, what] =
    inner[0] === 0x02 && inner[1] === 0x01 && inner[2] === 0x03
      ? (['PFX_DAMAGED', 'a PFX/PKCS#12 file'] as const)
      : inner[0] === 0x06
        ? (['P7B_DAMAGED', 'a PKCS#7 bundle'] as const)
        : inner[0] === 0x30
          ? (['CERTIFICATE_DAMAGED', 'a certificate (or a CSR or encrypted key)'] as const)
          : inner[0] === 0x02
            ? (['UNRECOGNIZED_FILE', 'a private key'] as const)
            : (['UNRECOGNIZED_FILE', 'DER data'] as const);
  return new CertError(
    code,
    `${name} is cut off: it starts like ${what} of ${declared} bytes, but the file has ${der.length}. Upload the complete file (a download that stopped early or a transfer in text mode cuts binary files).`,
    { file: name },
  );
}

function isCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

function derShape(der: Buffer): 'csr' | 'spki' | 'other' {
  const r = asn1js.fromBER(new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
  if (r.offset === -1 || !(r.result instanceof asn1js.Sequence)) return 'other';
  const [a, b, c] = r.result.valueBlock.value;
  if (a instanceof asn1js.Sequence && b instanceof asn1js.BitString && !c) return 'spki';
  if (a instanceof asn1js.Sequence && c instanceof asn1js.BitString) {
    const tbs = a.valueBlock.value;
    const last = tbs[tbs.length - 1];
    if (tbs[0] instanceof asn1js.Integer && tbs.length === 4 && last?.idBlock.tagClass === 3) return 'csr';
  }
  return 'other';
}
