import type { TrustAnchorCreated } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { trustAnchorsQueryKey } from './get-trust-anchors.js';

export function addTrustAnchor(file: File): Promise<TrustAnchorCreated> {
  return uploadRequest<TrustAnchorCreated>('/trust-anchors', { file });
}

export function useAddTrustAnchor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addTrustAnchor,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trustAnchorsQueryKey }),
  });
}
