import type { ExpirySettings } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { dashboardQueryKey } from './get-dashboard.js';
import { expirySettingsQueryKey } from './get-expiry-settings.js';

export function updateExpirySettings(body: ExpirySettings): Promise<ExpirySettings> {
  return api.put<ExpirySettings>('/settings/expiry', body);
}

export function useUpdateExpirySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateExpirySettings,
    onSuccess: (data) => {
      queryClient.setQueryData(expirySettingsQueryKey, data);
      return queryClient.invalidateQueries({ queryKey: dashboardQueryKey });
    },
  });
}
