import type { CertificateList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { deploymentKeys } from './query-keys.js';

/** Certificates to deploy (this feature's own read of the inventory: features do not import each other). */
export function getCertificateOptions(signal?: AbortSignal): Promise<CertificateList> {
  return api.get<CertificateList>('/certificates', { limit: 500, sort: 'notAfter', order: 'desc' }, signal);
}

export const certificateOptionsQueryOptions = () =>
  queryOptions({
    queryKey: deploymentKeys.certificateOptions,
    queryFn: ({ signal }) => getCertificateOptions(signal),
  });

export function useCertificateOptions() {
  return useQuery(certificateOptionsQueryOptions());
}
