import type { ImportResponse } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

export interface AttachKeyFields {
  id: number;
  file: File;
  password: string;
}

/**
 * POST /api/certificates/:id/attach-key (multipart): the key of a certificate stored without one. A key
 * that belongs to another certificate is an ApiError (KEY_MISMATCH) whose body carries the report.
 */
export function attachKey({ id, file, password }: AttachKeyFields): Promise<ImportResponse> {
  return uploadRequest<ImportResponse>(`/certificates/${id}/attach-key`, {
    file: [file],
    password: password || null,
  });
}

export function useAttachKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: attachKey,
    // The status moves from "pending key" to available: every list and count that shows it.
    onSuccess: () => invalidateInventory(queryClient),
  });
}
