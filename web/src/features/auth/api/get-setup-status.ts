import type { SetupStatus } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const setupStatusQueryKey = ['auth', 'setup'] as const;

export function getSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  return api.get<SetupStatus>('/setup', undefined, signal);
}

export const setupStatusQueryOptions = () =>
  queryOptions({
    queryKey: setupStatusQueryKey,
    queryFn: ({ signal }) => getSetupStatus(signal),
    staleTime: 0,
  });

export function useSetupStatus() {
  return useQuery(setupStatusQueryOptions());
}
