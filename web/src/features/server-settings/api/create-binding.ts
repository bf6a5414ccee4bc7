import type { Binding, BindingCreateBody } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { bindingsQueryKey } from './get-bindings.js';
import { serverSettingsQueryKey } from './get-server-settings.js';

export function createBinding(body: BindingCreateBody): Promise<Binding> {
  return api.post<Binding>('/bindings', body);
}

export function useCreateBinding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createBinding,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: bindingsQueryKey });
      void queryClient.invalidateQueries({ queryKey: serverSettingsQueryKey });
    },
  });
}
