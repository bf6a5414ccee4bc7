import type { CertificateList, CertificateListQuery } from '@certdesk/shared/types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { certificateKeys } from './query-keys.js';

export function getCertificates(query: CertificateListQuery, signal?: AbortSignal): Promise<CertificateList> {
  return api.get<CertificateList>('/certificates', { ...query }, signal);
}

export const certificatesQueryOptions = (query: CertificateListQuery) =>
  queryOptions({
    queryKey: certificateKeys.list(query),
    queryFn: ({ signal }) => getCertificates(query, signal),
    // Keep the current page on screen while the next search or page loads: no flicker while typing.
    placeholderData: keepPreviousData,
  });

export function useCertificates(query: CertificateListQuery) {
  return useQuery(certificatesQueryOptions(query));
}
