import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { bindingsQueryKey } from './get-bindings.js';

export function deleteBinding(id: number): Promise<void> {
  return api.delete(`/bindings/${id}`);
}

export function useDeleteBinding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteBinding,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bindingsQueryKey }),
  });
}
