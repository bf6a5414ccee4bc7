import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { deploymentKeys } from './query-keys.js';
import type { TargetList } from './types.js';

export function getTargets(signal?: AbortSignal): Promise<TargetList> {
  return api.get<TargetList>('/targets', undefined, signal);
}

export const targetsQueryOptions = () =>
  queryOptions({
    queryKey: deploymentKeys.list,
    queryFn: ({ signal }) => getTargets(signal),
    // Drift is re-checked by the server on its own; follow it while the page is open.
    refetchInterval: 60_000,
  });

export function useTargets() {
  return useQuery(targetsQueryOptions());
}
