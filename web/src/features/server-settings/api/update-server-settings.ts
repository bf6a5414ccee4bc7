import type { ServerSettings, ServerSettingsUpdate } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

/** 200: applied; 202: waits for confirmation over the new address (see `pendingChange`). */
export function updateServerSettings(body: ServerSettingsUpdate): Promise<ServerSettings> {
  return api.put<ServerSettings>('/settings/server', body);
}

export function useUpdateServerSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateServerSettings,
    onSuccess: (data) => {
      queryClient.setQueryData(serverSettingsKeys.settings, data);
      // The default binding (0.0.0.0:port) follows the committed certificate.
      void queryClient.invalidateQueries({ queryKey: serverSettingsKeys.bindings });
    },
  });
}
