import type { TrustAnchorCreated } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';

/** POST /api/trust-anchors with the lab root, so the chain check accepts the test certificate. */
export function addTestRoot(rootPem: string): Promise<TrustAnchorCreated> {
  const file = new File([rootPem], 'certdesk-test-root.pem', { type: 'application/x-pem-file' });
  return uploadRequest<TrustAnchorCreated>('/trust-anchors', { file });
}

export function useAddTestRoot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addTestRoot,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: resourceKeys.trustAnchors });
      void queryClient.invalidateQueries({ queryKey: resourceKeys.certificates });
    },
  });
}
