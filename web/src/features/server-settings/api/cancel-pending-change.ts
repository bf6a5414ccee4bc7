import type { ServerSettings } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

export function cancelPendingChange(): Promise<ServerSettings> {
  return api.delete<ServerSettings>('/settings/server/pending');
}

export function useCancelPendingChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelPendingChange,
    onSuccess: (data) => {
      queryClient.setQueryData(serverSettingsKeys.settings, data);
      // The default binding (0.0.0.0:port) follows the committed certificate.
      void queryClient.invalidateQueries({ queryKey: serverSettingsKeys.bindings });
    },
  });
}
