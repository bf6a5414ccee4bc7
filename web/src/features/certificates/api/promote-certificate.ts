import type { CertificateSummary } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

export interface MoveAnswer {
  certificate: CertificateSummary;
  movedActive: boolean;
  movedBindings: string[];
}

/** Replace in place: what uses the previous version now uses this one. */
export function promoteCertificate(id: number): Promise<MoveAnswer> {
  return api.post<MoveAnswer>(`/certificates/${id}/promote`);
}

export function usePromoteCertificate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: promoteCertificate,
    onSuccess: () => invalidateInventory(queryClient),
  });
}
