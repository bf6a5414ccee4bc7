import 'reflect-metadata';
import type { KeyObject } from 'node:crypto';
import type { ConvertTarget } from '@certdesk/shared';
import * as x509 from '@peculiar/x509';
import { detectFile, type UploadedFile } from './detect.js';
import { CertError } from './errors.js';
import { type ExportedFile, exportCertificate, safeBaseName } from './export.js';
import { spkiSha256 } from './key-info.js';
import type { KdfRunner } from './pbe.js';
import type { PfxEncryption } from './pfx-writer.js';
import { type CertInfo, issuedBy } from './x509-info.js';

/**
 * The "convert" tool: what the uploaded files hold (read by detect.ts, any format) written out again as
 * PEM, DER, PKCS#7 (.p7b, certificates only) or PKCS#12 (.pfx, via export.ts and pfx-writer.ts).
 * Pure: the route decides who may take a key out (re-authentication) and audits it.
 */

export interface ConvertMaterial {
  certs: CertInfo[];
  keys: KeyObject[];
  /** Formats of the inputs, as detect.ts named them (for the audit record). */
  formats: string[];
}

export interface ConvertOptions {
  to: ConvertTarget;
  /** PEM output only: append the private key (the caller has re-authenticated). */
  includeKey: boolean;
  /** PEM output with the key: encrypt it (PKCS#8, AES-256-CBC) with this passphrase. */
  keyPassphrase?: string;
  pfxPassword?: string;
  pfxEncryption: PfxEncryption;
}

/**
 * Every certificate and key in the files; `password` opens a PFX or an encrypted key, its derivations
 * run by `kdf` (the worker pool in production).
 */
export async function readMaterial(
  files: UploadedFile[],
  password: string,
  kdf: KdfRunner,
): Promise<ConvertMaterial> {
  const out: ConvertMaterial = { certs: [], keys: [], formats: [] };
  const seen = new Set<string>();
  for (const file of files) {
    const d = await detectFile(file, password, kdf);
    out.formats.push(d.format);
    for (const c of d.certs) {
      // The same certificate twice (a PFX plus its PEM) would only duplicate the output.
      if (seen.has(c.info.fingerprint)) continue;
      seen.add(c.info.fingerprint);
      out.certs.push(c.info);
    }
    for (const k of d.keys) {
      if (!out.keys.some((have) => spkiSha256(have) === spkiSha256(k.key))) out.keys.push(k.key);
    }
  }
  return out;
}

/** Leaf (the certificate of the key, else the first one) then its issuers in order, then the rest. */
export function orderChain(certs: CertInfo[], key: KeyObject | null): CertInfo[] {
  if (certs.length === 0) return [];
  const spki = key ? spkiSha256(key) : null;
  const leaf =
    (spki && certs.find((c) => c.spki === spki)) ||
    // Without a key: the certificate no other certificate here was issued by.
    certs.find((c) => !certs.some((o) => o !== c && issuedBy(o, c))) ||
    (certs[0] as CertInfo);
  const ordered = [leaf];
  for (let cur = leaf; ordered.length < certs.length; ) {
    const next = certs.find((c) => !ordered.includes(c) && !cur.selfSigned && issuedBy(cur, c));
    if (!next) break;
    ordered.push(next);
    cur = next;
  }
  return [...ordered, ...certs.filter((c) => !ordered.includes(c))];
}

const pemOf = (c: CertInfo) => c.x509.toString();

export function convertMaterial(m: ConvertMaterial, o: ConvertOptions): ExportedFile {
  if (o.to === 'pem' && m.certs.length === 0 && o.includeKey && m.keys.length) {
    // A bare key to PEM: allowed (decrypted PKCS#8), the caller has re-authenticated.
    const key = m.keys[0] as KeyObject;
    return {
      body: Buffer.from(keyPem(key, o.keyPassphrase)),
      contentType: 'application/x-pem-file',
      filename: 'private-key.pem',
    };
  }
  if (m.certs.length === 0) {
    throw new CertError(
      'NO_CERTIFICATE',
      'The upload holds no certificate to convert. To decrypt a private key, use the "Decrypt private key" tool.',
    );
  }
  if (m.keys.length > 1) {
    throw new CertError(
      'TOO_MANY_KEYS',
      `The upload holds ${m.keys.length} different private keys; send one key with its certificate.`,
    );
  }
  const key = m.keys[0] ?? null;
  const ordered = orderChain(m.certs, key);
  const leaf = ordered[0] as CertInfo;
  const base = safeBaseName(leaf.commonName);
  switch (o.to) {
    case 'der':
      if (m.certs.length !== 1) {
        throw new CertError(
          'ONE_CERTIFICATE_ONLY',
          `A DER file holds exactly one certificate; this upload has ${m.certs.length}. Convert to PKCS#7 (.p7b) to keep them together, or upload only the one you need.`,
        );
      }
      return exportCertificate({
        format: 'der',
        certDer: leaf.der,
        chainPems: [],
        baseName: leaf.commonName ?? undefined,
      });
    case 'pem': {
      let body = ordered.map(pemOf).join('');
      if (o.includeKey) {
        if (!key) throw CertError.inRequest('NO_PRIVATE_KEY', 'The upload holds no private key to include.');
        body += keyPem(key, o.keyPassphrase);
      }
      return {
        body: Buffer.from(body),
        contentType: 'application/x-pem-file',
        filename: `${base}.${o.includeKey ? 'pem' : m.certs.length > 1 ? 'bundle.pem' : 'crt'}`,
      };
    }
    case 'p7b': {
      // @peculiar/x509 writes the degenerate SignedData (certificates, no signers) that Windows opens as .p7b.
      const bundle = new x509.X509Certificates(
        ordered.map((c) => new x509.X509Certificate(new Uint8Array(c.der))),
      );
      return {
        body: Buffer.from(bundle.export('raw')),
        contentType: 'application/x-pkcs7-certificates',
        filename: `${base}.p7b`,
      };
    }
    case 'pfx': {
      if (!key) {
        throw CertError.inRequest(
          'NO_PRIVATE_KEY',
          'A PFX needs the private key: upload the key file together with the certificate (and the chain).',
        );
      }
      if (leaf.spki !== spkiSha256(key)) {
        throw CertError.inRequest(
          'KEY_MISMATCH',
          'The private key does not belong to any certificate in the upload.',
        );
      }
      return exportCertificate({
        format: 'pfx',
        certDer: leaf.der,
        chainPems: ordered.slice(1).map(pemOf),
        key,
        pfxPassword: o.pfxPassword,
        pfxEncryption: o.pfxEncryption,
        baseName: leaf.commonName ?? undefined,
      });
    }
    default:
      throw new CertError(
        'VALIDATION_ERROR',
        `Unknown target format "${String(o.to)}": use pem, der, p7b or pfx.`,
        { field: 'to' },
      );
  }
}

function keyPem(key: KeyObject, passphrase: string | undefined): string {
  return String(
    passphrase
      ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
      : key.export({ type: 'pkcs8', format: 'pem' }),
  );
}
