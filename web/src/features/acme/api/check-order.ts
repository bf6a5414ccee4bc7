import type { AcmeOrderAccepted } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { acmeKeys } from './query-keys.js';

export function useCheckAcmeOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<AcmeOrderAccepted>(`/acme/orders/${id}/check`),
    onSuccess: (_r, id) => queryClient.invalidateQueries({ queryKey: acmeKeys.order(id) }),
  });
}
