import { queryOptions, useQuery } from '@tanstack/react-query';
import type { DeployProbe } from '../../../components/deploy-outcome-types.js';
import { api } from '../../../lib/api-client.js';
import { certificateKeys } from './query-keys.js';

/** The part of a deployment target this page shows (API.md "Deployment targets"). */
export interface CertificateTarget {
  id: number;
  name: string;
  kind: 'local' | 'ssh';
  ssh?: { host: string; port: number; username: string } | null;
  verify?: { host: string; port: number } | null;
  lastDeployment: null | {
    at: string;
    status: 'deployed' | 'failed' | 'rolled-back';
    fingerprintSha256: string | null;
    message: string | null;
    probe: DeployProbe | null;
  };
  drift: boolean;
}

export function getCertificateTargets(
  id: number,
  signal?: AbortSignal,
): Promise<{ items: CertificateTarget[] }> {
  return api.get<{ items: CertificateTarget[] }>(`/certificates/${id}/targets`, undefined, signal);
}

export const certificateTargetsQueryOptions = (id: number) =>
  queryOptions({
    queryKey: certificateKeys.targets(id),
    queryFn: ({ signal }) => getCertificateTargets(id, signal),
  });

export function useCertificateTargets(id: number) {
  return useQuery(certificateTargetsQueryOptions(id));
}
