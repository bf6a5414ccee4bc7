import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { serverSettingsKeys } from './query-keys.js';

export function deleteBinding(id: number): Promise<void> {
  return api.delete(`/bindings/${id}`);
}

export function useDeleteBinding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteBinding,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: serverSettingsKeys.bindings });
      // An unbound certificate may stop being "active" in the inventory and on the dashboard.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.certificates });
      void queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard });
    },
  });
}
