import type { ServerSettings, ServerSettingsUpdate } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { bindingsQueryKey } from './get-bindings.js';
import { serverSettingsQueryKey } from './get-server-settings.js';

/** 200: applied; 202: waits for confirmation over the new address (see `pendingChange`). */
export function updateServerSettings(body: ServerSettingsUpdate): Promise<ServerSettings> {
  return api.put<ServerSettings>('/settings/server', body);
}

export function useUpdateServerSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateServerSettings,
    onSuccess: (data) => {
      queryClient.setQueryData(serverSettingsQueryKey, data);
      // The default binding (0.0.0.0:port) follows the committed certificate.
      void queryClient.invalidateQueries({ queryKey: bindingsQueryKey });
    },
  });
}
