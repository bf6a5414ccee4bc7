import type { ExpirySettings } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const expirySettingsQueryKey = ['settings', 'expiry'] as const;

export function getExpirySettings(signal?: AbortSignal): Promise<ExpirySettings> {
  return api.get<ExpirySettings>('/settings/expiry', undefined, signal);
}

export const expirySettingsQueryOptions = () =>
  queryOptions({ queryKey: expirySettingsQueryKey, queryFn: ({ signal }) => getExpirySettings(signal) });

export function useExpirySettings() {
  return useQuery(expirySettingsQueryOptions());
}
