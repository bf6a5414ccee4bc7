import type { CertificateDetail } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { certificateKeys } from './query-keys.js';

export function getCertificate(id: number, signal?: AbortSignal): Promise<CertificateDetail> {
  return api.get<CertificateDetail>(`/certificates/${id}`, undefined, signal);
}

export const certificateQueryOptions = (id: number) =>
  queryOptions({
    queryKey: certificateKeys.detail(id),
    queryFn: ({ signal }) => getCertificate(id, signal),
  });

export function useCertificate(id: number) {
  return useQuery({ ...certificateQueryOptions(id), enabled: Number.isInteger(id) && id > 0 });
}
