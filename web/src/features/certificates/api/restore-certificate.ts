import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';
import type { MoveAnswer } from './promote-certificate.js';

/** One-click rollback: a superseded certificate takes back what its replacement was serving. */
export function restoreCertificate(id: number): Promise<MoveAnswer> {
  return api.post<MoveAnswer>(`/certificates/${id}/restore`);
}

export function useRestoreCertificate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreCertificate,
    onSuccess: () => invalidateInventory(queryClient),
  });
}
