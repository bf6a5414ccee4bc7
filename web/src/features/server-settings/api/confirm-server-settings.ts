import type { ServerSettings } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

/** Must be sent from the new address: its arrival there proves the new listener works. */
export function confirmServerSettings(): Promise<ServerSettings> {
  return api.post<ServerSettings>('/settings/server/confirm');
}

export function useConfirmServerSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: confirmServerSettings,
    onSuccess: (data) => {
      queryClient.setQueryData(serverSettingsKeys.settings, data);
      // The default binding (0.0.0.0:port) follows the committed certificate.
      void queryClient.invalidateQueries({ queryKey: serverSettingsKeys.bindings });
    },
  });
}
