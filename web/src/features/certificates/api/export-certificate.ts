import type { CertificateExportBody } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { downloadFile } from '../../../lib/api-client.js';

/** Saves the exported file; pfx and key need the account password (403 REAUTH_FAILED when wrong). */
export function exportCertificate(id: number, body: CertificateExportBody): Promise<string> {
  return downloadFile(`/certificates/${id}/export`, { method: 'POST', body }, `certificate-${id}`);
}

export function useExportCertificate(id: number) {
  return useMutation({ mutationFn: (body: CertificateExportBody) => exportCertificate(id, body) });
}
