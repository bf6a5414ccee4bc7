import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { trustAnchorsQueryKey } from './get-trust-anchors.js';

export function deleteTrustAnchor(id: number): Promise<void> {
  return api.delete(`/trust-anchors/${id}`);
}

export function useDeleteTrustAnchor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTrustAnchor,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trustAnchorsQueryKey }),
  });
}
