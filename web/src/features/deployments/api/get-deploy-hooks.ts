import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { deploymentKeys } from './query-keys.js';
import type { DeployHooks } from './types.js';

export function getDeployHooks(signal?: AbortSignal): Promise<DeployHooks> {
  return api.get<DeployHooks>('/deploy/hooks', undefined, signal);
}

export const deployHooksQueryOptions = () =>
  queryOptions({
    queryKey: deploymentKeys.hooks,
    queryFn: ({ signal }) => getDeployHooks(signal),
    staleTime: 60_000,
  });

export function useDeployHooks() {
  return useQuery(deployHooksQueryOptions());
}
