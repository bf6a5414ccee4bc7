import type { ExpirySettings } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { dashboardKeys } from './query-keys.js';

export function updateExpirySettings(body: ExpirySettings): Promise<ExpirySettings> {
  return api.put<ExpirySettings>('/settings/expiry', body);
}

export function useUpdateExpirySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateExpirySettings,
    onSuccess: (data) => {
      queryClient.setQueryData(dashboardKeys.expirySettings, data);
      return queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
    },
  });
}
