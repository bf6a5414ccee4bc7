import type { SecuritySettings } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { serverSettingsKeys } from './query-keys.js';

export function updateSecuritySettings(body: SecuritySettings): Promise<SecuritySettings> {
  return api.put<SecuritySettings>('/settings/security', body);
}

export function useUpdateSecuritySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSecuritySettings,
    onSuccess: (data) => {
      queryClient.setQueryData(serverSettingsKeys.security, data);
      void queryClient.invalidateQueries({ queryKey: resourceKeys.twoFactor });
    },
  });
}
