import type { CertificateDetail } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

/**
 * The CSR wizard address prefilled from a certificate (its `renewUrl`). The dashboard lists summaries,
 * which do not carry it: read the certificate when the admin asks to renew it.
 */
export async function getRenewUrl(id: number): Promise<string> {
  const detail = await api.get<CertificateDetail>(`/certificates/${id}`);
  return detail.renewUrl;
}

export function useRenewUrl() {
  return useMutation({ mutationFn: getRenewUrl });
}
