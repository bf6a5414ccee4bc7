import type { ServerSettings } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

export function getServerSettings(signal?: AbortSignal): Promise<ServerSettings> {
  return api.get<ServerSettings>('/settings/server', undefined, signal);
}

export const serverSettingsQueryOptions = () =>
  queryOptions({
    queryKey: serverSettingsKeys.settings,
    queryFn: ({ signal }) => getServerSettings(signal),
    // While a change waits for confirmation, poll: the server may revert it by itself.
    refetchInterval: (query) => (query.state.data?.pendingChange ? 2_000 : false),
  });

export function useServerSettings() {
  return useQuery(serverSettingsQueryOptions());
}
