import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { deploymentKeys } from './query-keys.js';
import type { DeployConfig } from './types.js';

/** The roots and hooks the server allows: environment variables, only ever read here. */
export function getDeployConfig(signal?: AbortSignal): Promise<DeployConfig> {
  return api.get<DeployConfig>('/deploy/config', undefined, signal);
}

export const deployConfigQueryOptions = () =>
  queryOptions({
    queryKey: deploymentKeys.config,
    queryFn: ({ signal }) => getDeployConfig(signal),
    staleTime: 60_000,
  });

export function useDeployConfig() {
  return useQuery(deployConfigQueryOptions());
}
