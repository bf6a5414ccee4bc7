import type { CertificateList } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

/** Certificates to choose from (this feature's own read of the inventory: features do not import each other). */
export function getCertificateOptions(signal?: AbortSignal): Promise<CertificateList> {
  return api.get<CertificateList>('/certificates', { limit: 500, sort: 'notAfter', order: 'desc' }, signal);
}

export const certificateOptionsQueryOptions = () =>
  queryOptions({
    queryKey: ['certificates', 'options'] as const,
    queryFn: ({ signal }) => getCertificateOptions(signal),
  });

export function useCertificateOptions() {
  return useQuery(certificateOptionsQueryOptions());
}
