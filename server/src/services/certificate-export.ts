import type { KeyObject } from 'node:crypto';
import { type ExportedFile, type ExportFormat, exportCertificate, FORMATS_WITH_KEY } from '../cert/export.js';
import type { PfxEncryption } from '../cert/pfx-writer.js';
import { AppError } from '../errors.js';
import type { CertificateRow, CertificateStore } from '../store/certificates.js';
import type { PrivateKeyStore } from '../store/private-keys.js';

/**
 * Export of a STORED certificate: load the row (and, for pfx/key, the sealed key), then the pure
 * `exportCertificate`. Shared by POST /api/certificates/:id/export and `certdesk export`, so both
 * produce the same bytes and the same errors.
 */

export interface StoredExportOptions {
  format: ExportFormat;
  pfxPassword?: string;
  pfxEncryption?: PfxEncryption;
  keyPassphrase?: string;
  /**
   * Runs after the certificate is found and before its private key is read, only for formats that carry
   * the key: the HTTP route asks for the account password again here (404 stays a 404 either way).
   */
  authorizeKey?: () => Promise<void>;
}

export async function exportStoredCertificate(
  stores: { certificates: CertificateStore; privateKeys: PrivateKeyStore },
  id: number,
  opts: StoredExportOptions,
): Promise<{ row: CertificateRow; file: ExportedFile; withKey: boolean }> {
  const row = stores.certificates.get(id);
  if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
  const withKey = FORMATS_WITH_KEY.has(opts.format);
  let key: KeyObject | null = null;
  if (withKey) {
    await opts.authorizeKey?.();
    if (row.key_id === null) throw new AppError('NO_PRIVATE_KEY');
    key = stores.privateKeys.load(row.key_id) ?? null;
  }
  const file = exportCertificate({
    format: opts.format,
    certDer: row.cert_der,
    chainPems: JSON.parse(row.chain_pem) as string[],
    key,
    pfxPassword: opts.pfxPassword,
    pfxEncryption: opts.pfxEncryption,
    keyPassphrase: opts.keyPassphrase,
    baseName: row.common_name ?? row.name ?? `certificate-${row.id}`,
  });
  return { row, file, withKey };
}

/** Audit details of a key-bearing export (never the passwords themselves). */
export function exportAuditDetails(row: CertificateRow, opts: StoredExportOptions): Record<string, unknown> {
  return {
    format: opts.format,
    ...(opts.format === 'pfx'
      ? { pfxEncryption: opts.pfxEncryption ?? 'aes256' }
      : { encrypted: Boolean(opts.keyPassphrase) }),
    commonName: row.common_name,
  };
}
