import type { TrustAnchorCreated } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { trustAnchorKeys } from './query-keys.js';

export function addTrustAnchor(file: File): Promise<TrustAnchorCreated> {
  return uploadRequest<TrustAnchorCreated>('/trust-anchors', { file });
}

export function useAddTrustAnchor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addTrustAnchor,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trustAnchorKeys.all });
      // Chain checks of stored certificates depend on the anchors.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.certificates });
    },
  });
}
