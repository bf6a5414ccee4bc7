import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

export function deleteCertificate(id: number): Promise<void> {
  return api.delete(`/certificates/${id}`);
}

export function useDeleteCertificate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCertificate,
    onSuccess: () => invalidateInventory(queryClient),
  });
}
