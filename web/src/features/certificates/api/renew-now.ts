import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

/** POST /api/certificates/:id/renew-now: an ACME order now; the new version replaces this one when issued. */
export function renewNow(id: number): Promise<{ id: number; status: string }> {
  return api.post<{ id: number; status: string }>(`/certificates/${id}/renew-now`);
}

export function useRenewNow() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: renewNow, onSuccess: () => invalidateInventory(queryClient) });
}
