import type { Target, TargetList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { certificateKeys } from './query-keys.js';

/** A deployment target of this certificate, with its last deployment (API.md "Deployment targets"). */
export type CertificateTarget = Target;

export function getCertificateTargets(id: number, signal?: AbortSignal): Promise<TargetList> {
  return api.get<TargetList>(`/certificates/${id}/targets`, undefined, signal);
}

export const certificateTargetsQueryOptions = (id: number) =>
  queryOptions({
    queryKey: certificateKeys.targets(id),
    queryFn: ({ signal }) => getCertificateTargets(id, signal),
  });

export function useCertificateTargets(id: number) {
  return useQuery(certificateTargetsQueryOptions(id));
}
