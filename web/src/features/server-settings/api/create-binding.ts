import type { Binding, BindingCreateBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { serverSettingsKeys } from './query-keys.js';

export function createBinding(body: BindingCreateBody): Promise<Binding> {
  return api.post<Binding>('/bindings', body);
}

export function useCreateBinding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createBinding,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: serverSettingsKeys.bindings });
      void queryClient.invalidateQueries({ queryKey: serverSettingsKeys.settings });
      // A bound certificate becomes "active" in the inventory and on the dashboard.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.certificates });
      void queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard });
    },
  });
}
