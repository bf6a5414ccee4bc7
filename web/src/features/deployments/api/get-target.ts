import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { deploymentKeys } from './query-keys.js';
import type { DeployTarget } from './types.js';

export function getTarget(id: number, signal?: AbortSignal): Promise<DeployTarget> {
  return api.get<DeployTarget>(`/targets/${id}`, undefined, signal);
}

export const targetQueryOptions = (id: number) =>
  queryOptions({ queryKey: deploymentKeys.detail(id), queryFn: ({ signal }) => getTarget(id, signal) });

export function useTarget(id: number, enabled = true) {
  return useQuery({ ...targetQueryOptions(id), enabled });
}
