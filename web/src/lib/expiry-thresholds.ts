import type { ExpirySettings } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './api-client.js';
import { resourceKeys } from './query-keys.js';

/** GET /api/settings/expiry: the warning thresholds (days, largest first) that colour every expiry badge. */
export const expirySettingsQueryOptions = () =>
  queryOptions({
    queryKey: resourceKeys.expirySettings,
    queryFn: ({ signal }) => api.get<ExpirySettings>('/settings/expiry', undefined, signal),
    staleTime: 60_000,
  });

/** The server's thresholds; undefined until they have arrived (badges stay neutral meanwhile). */
export function useExpiryThresholds(): readonly number[] | undefined {
  return useQuery(expirySettingsQueryOptions()).data?.thresholds;
}
