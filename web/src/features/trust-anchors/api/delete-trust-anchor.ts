import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { trustAnchorKeys } from './query-keys.js';

export function deleteTrustAnchor(id: number): Promise<void> {
  return api.delete(`/trust-anchors/${id}`);
}

export function useDeleteTrustAnchor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTrustAnchor,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trustAnchorKeys.all });
      // Chain checks of stored certificates depend on the anchors.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.certificates });
    },
  });
}
