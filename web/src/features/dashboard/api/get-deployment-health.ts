import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { dashboardKeys } from './query-keys.js';

/** How the deployment targets are doing, counted from this feature's own read of GET /api/targets. */
export interface DeploymentHealth {
  total: number;
  failed: number;
  drifting: number;
}

interface TargetState {
  lastDeployment: { status: string } | null;
  drift: boolean;
}

export async function getDeploymentHealth(signal?: AbortSignal): Promise<DeploymentHealth> {
  const { items } = await api.get<{ items: TargetState[] }>('/targets', undefined, signal);
  return {
    total: items.length,
    failed: items.filter((t) => t.lastDeployment && t.lastDeployment.status !== 'deployed').length,
    drifting: items.filter((t) => t.drift).length,
  };
}

export const deploymentHealthQueryOptions = () =>
  queryOptions({
    queryKey: dashboardKeys.deploymentHealth,
    queryFn: ({ signal }) => getDeploymentHealth(signal),
    refetchInterval: 60_000,
    retry: false,
  });

export function useDeploymentHealth() {
  return useQuery(deploymentHealthQueryOptions());
}
