import type { TrustAnchorCreated } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { trustAnchorKeys } from './query-keys.js';

export interface AddTrustAnchorInput {
  file: File;
  /** Trust a CA certificate that is not self-signed (the server refuses it otherwise). */
  allowIntermediate?: boolean;
}

export function addTrustAnchor({
  file,
  allowIntermediate,
}: AddTrustAnchorInput): Promise<TrustAnchorCreated> {
  // As a query parameter: the server reads the form's fields only up to its file.
  return uploadRequest<TrustAnchorCreated>(
    allowIntermediate ? '/trust-anchors?allowIntermediate=true' : '/trust-anchors',
    { file },
  );
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
