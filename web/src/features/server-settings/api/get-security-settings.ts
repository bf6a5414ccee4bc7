import type { SecuritySettings } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

export function getSecuritySettings(signal?: AbortSignal): Promise<SecuritySettings> {
  return api.get<SecuritySettings>('/settings/security', undefined, signal);
}

export const securitySettingsQueryOptions = () =>
  queryOptions({
    queryKey: serverSettingsKeys.security,
    queryFn: ({ signal }) => getSecuritySettings(signal),
  });

export function useSecuritySettings() {
  return useQuery(securitySettingsQueryOptions());
}
