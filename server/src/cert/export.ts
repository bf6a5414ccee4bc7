import { type KeyObject, X509Certificate } from 'node:crypto';
import { CertError } from './errors.js';
import { buildPfx, type PfxEncryption } from './pfx-writer.js';
import { writePkcs7 } from './pkcs7.js';

/**
 * Export of a stored certificate in the forms servers and clients ask for. Pure: the caller loads the
 * certificate, chain and (for pfx/key) the private key. Vocabulary as certbot names its files:
 *  - pem:       the certificate alone (cert.pem)
 *  - chain:     the intermediates alone, leaf side first (chain.pem); never the root
 *  - fullchain: certificate then intermediates (fullchain.pem) — what a TLS server sends
 *  - der:       the certificate alone, binary (.cer for Windows)
 *  - key:       the private key, PKCS#8 PEM, AES-256 encrypted when a passphrase is given
 *  - pfx:       certificate + intermediates + key in PKCS#12, protected by a password
 *  - p7b:       certificate + intermediates in PKCS#7 (DER, certs-only), as Windows exports a chain
 */

export type ExportFormat = 'pem' | 'chain' | 'fullchain' | 'der' | 'pfx' | 'key' | 'p7b';

export interface ExportInput {
  format: ExportFormat;
  certDer: Buffer;
  /** Intermediate PEMs, leaf side first. */
  chainPems: string[];
  key?: KeyObject | null;
  pfxPassword?: string;
  pfxEncryption?: PfxEncryption;
  keyPassphrase?: string;
  /** Base of the download name, e.g. the common name. */
  baseName?: string;
}

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

export const FORMATS_WITH_KEY: ReadonlySet<ExportFormat> = new Set(['pfx', 'key']);

/** A file name safe for Content-Disposition: "*.example.com" → "wildcard.example.com". */
export function safeBaseName(name: string | null | undefined): string {
  const s = (name ?? '')
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 100);
  return s || 'certificate';
}

export function exportCertificate(input: ExportInput): ExportedFile {
  const base = safeBaseName(input.baseName);
  const cert = new X509Certificate(input.certDer);
  const chain = input.chainPems.map((p) => new X509Certificate(p));
  const pem = (certs: X509Certificate[]) =>
    Buffer.from(certs.map((c) => ensureNewline(c.toString())).join(''));
  switch (input.format) {
    case 'pem':
      return { body: pem([cert]), contentType: 'application/x-pem-file', filename: `${base}.crt` };
    case 'chain':
      if (chain.length === 0) {
        throw new CertError(
          'NO_CHAIN',
          'No intermediate certificates are stored with this certificate, so there is no chain file to export. Export the certificate or the full chain instead.',
        );
      }
      return { body: pem(chain), contentType: 'application/x-pem-file', filename: `${base}.chain.pem` };
    case 'fullchain':
      return {
        body: pem([cert, ...chain]),
        contentType: 'application/x-pem-file',
        filename: `${base}.fullchain.pem`,
      };
    case 'der':
      return { body: Buffer.from(cert.raw), contentType: 'application/pkix-cert', filename: `${base}.cer` };
    case 'p7b':
      return {
        body: writePkcs7([Buffer.from(cert.raw), ...chain.map((c) => Buffer.from(c.raw))]),
        contentType: 'application/x-pkcs7-certificates',
        filename: `${base}.p7b`,
      };
    case 'key': {
      const key = requireKey(input.key);
      const body = input.keyPassphrase
        ? key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: input.keyPassphrase })
        : key.export({ type: 'pkcs8', format: 'pem' });
      return { body: Buffer.from(body), contentType: 'application/x-pem-file', filename: `${base}.key` };
    }
    case 'pfx': {
      const key = requireKey(input.key);
      if (!input.pfxPassword)
        throw new CertError('PFX_PASSWORD_REQUIRED', undefined, { field: 'pfxPassword' });
      if (!cert.checkPrivateKey(key)) {
        throw new CertError('KEY_MISMATCH', 'The stored private key does not belong to this certificate.');
      }
      const body = buildPfx({
        key,
        cert,
        chain,
        password: input.pfxPassword,
        encryption: input.pfxEncryption ?? 'aes256',
        friendlyName: input.baseName ?? undefined,
      });
      return { body, contentType: 'application/x-pkcs12', filename: `${base}.pfx` };
    }
    default:
      throw new CertError('VALIDATION_ERROR', `Unknown export format "${String(input.format)}".`, {
        field: 'format',
      });
  }
}

function requireKey(key: KeyObject | null | undefined): KeyObject {
  if (!key) throw new CertError('NO_PRIVATE_KEY');
  return key;
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
