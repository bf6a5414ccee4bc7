import type { SetupStatus } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

export function getSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  return api.get<SetupStatus>('/setup', undefined, signal);
}

export const setupStatusQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.setupStatus,
    queryFn: ({ signal }) => getSetupStatus(signal),
    staleTime: 0,
  });

export function useSetupStatus() {
  return useQuery(setupStatusQueryOptions());
}
