import { type KeyObject, X509Certificate } from 'node:crypto';
import type { DeployContent } from '@certdesk/shared';
import { exportCertificate } from '../cert/export.js';
import { AppError } from '../errors.js';
import type { CertificateRow } from '../store/certificates.js';

/**
 * The bytes of each file a target holds, from the stored certificate: the same export code as
 * POST /api/certificates/:id/export (PEM, full chain, PKCS#8 key, PKCS#12), so a deployed file is the file
 * an administrator would have downloaded.
 */

export const KEY_CONTENTS: ReadonlySet<DeployContent> = new Set(['key', 'cert+key', 'fullchain+key', 'pfx']);

/** Default permissions: a file holding the key is for its owner only. */
export function defaultMode(content: DeployContent): number {
  return KEY_CONTENTS.has(content) ? 0o600 : 0o644;
}

export interface ContentSource {
  row: CertificateRow;
  key: KeyObject | null;
  pfxPassword: string | null;
}

export function fileData(content: DeployContent, src: ContentSource): Buffer {
  const base = {
    certDer: src.row.cert_der,
    chainPems: JSON.parse(src.row.chain_pem) as string[],
    baseName: src.row.common_name ?? src.row.name ?? `certificate-${src.row.id}`,
  };
  const part = (format: 'pem' | 'chain' | 'fullchain' | 'key') =>
    exportCertificate({ ...base, format, key: src.key }).body;
  if (KEY_CONTENTS.has(content)) {
    if (!src.key) throw new AppError('NO_PRIVATE_KEY');
    if (!new X509Certificate(src.row.cert_der).checkPrivateKey(src.key)) {
      throw new AppError('KEY_MISMATCH', 'The stored private key does not belong to this certificate.');
    }
  }
  switch (content) {
    case 'cert':
      return part('pem');
    case 'chain':
      return part('chain');
    case 'fullchain':
      return part('fullchain');
    case 'key':
      return part('key');
    case 'cert+key':
      return Buffer.concat([part('pem'), part('key')]);
    case 'fullchain+key':
      return Buffer.concat([part('fullchain'), part('key')]);
    case 'pfx':
      if (!src.pfxPassword) throw new AppError('PFX_PASSWORD_REQUIRED', undefined, { field: 'pfxPassword' });
      return exportCertificate({ ...base, format: 'pfx', key: src.key, pfxPassword: src.pfxPassword }).body;
  }
}
