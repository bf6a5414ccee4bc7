import crypto, { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { ErrorCode } from '@certdesk/shared/errors';
import { AppError } from '../errors.js';
import type { CertificateRow, CertificateStore } from '../store/certificates.js';
import type { PrivateKeyStore } from '../store/private-keys.js';
import { type ServingMaterial, secureContextOptions } from './options.js';

function refuse(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError(code, message, extra);
}

/** True when the certificate's SANs (or CN when it has none) cover this host name or IP address. */
export function certificateCovers(cert: X509Certificate, name: string): boolean {
  if (net.isIP(name)) return cert.checkIP(name) !== undefined;
  // A binding for "*.example.com" is covered by a wildcard certificate for the same pattern.
  const probe = name.startsWith('*.') ? `wildcard-probe${name.slice(1)}` : name;
  return cert.checkHost(probe, { wildcards: true, partialWildcards: false }) !== undefined;
}

/**
 * Loads what the HTTPS listener needs to serve a certificate, refusing (422 with a code) what cannot
 * work: a missing certificate, no key, a key that does not open or does not match, an expired or not yet
 * valid certificate. Builds a throwaway secure context so OpenSSL itself has accepted the pair.
 */
export function loadServingMaterial(
  stores: { certificates: CertificateStore; privateKeys: PrivateKeyStore },
  certificateId: number,
  now = new Date(),
): { material: ServingMaterial; row: CertificateRow; x509: X509Certificate } {
  const row = stores.certificates.get(certificateId);
  if (!row)
    throw AppError.inRequest('CERTIFICATE_NOT_FOUND', `There is no certificate with id ${certificateId}.`, {
      certificateId,
    });
  const x509 = new X509Certificate(row.cert_der);
  if (new Date(row.not_after) <= now) {
    throw refuse(
      'CERTIFICATE_EXPIRED',
      `The certificate expired on ${row.not_after}. Choose a valid certificate.`,
      {
        certificateId,
      },
    );
  }
  if (new Date(row.not_before) > now) {
    throw refuse('CERTIFICATE_NOT_YET_VALID', `The certificate is not valid before ${row.not_before}.`, {
      certificateId,
    });
  }
  if (row.key_id === null) {
    throw refuse(
      'CERTIFICATE_KEY_MISSING',
      'This certificate has no private key on this server, so it cannot be served. Import it with its key.',
      { certificateId },
    );
  }
  let keyPem: string;
  try {
    const key = stores.privateKeys.load(row.key_id);
    if (!key) throw new Error('the key row is missing');
    if (!x509.checkPrivateKey(key)) throw new Error('the key does not match the certificate');
    keyPem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
  } catch (err) {
    throw refuse(
      'CERTIFICATE_KEY_UNUSABLE',
      `The private key of this certificate could not be loaded (${(err as Error).message}); the current certificate stays in service.`,
      { certificateId },
    );
  }
  const { certPem, chainPems } = stores.certificates.pems(row);
  const material: ServingMaterial = { certificateId, key: keyPem, cert: [certPem, ...chainPems].join('\n') };
  try {
    tls.createSecureContext(secureContextOptions(material));
  } catch (err) {
    throw refuse(
      'CERTIFICATE_KEY_UNUSABLE',
      `The TLS library refused this certificate and key (${(err as Error).message}); the current certificate stays in service.`,
      { certificateId },
    );
  }
  return { material, row, x509 };
}

/** SHA-256 of material, to skip rebuilding contexts that did not change. */
export function materialDigest(m: ServingMaterial): string {
  return crypto.createHash('sha256').update(m.key).update('\0').update(m.cert).digest('hex');
}
