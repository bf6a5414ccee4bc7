import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { acmeKeys } from './query-keys.js';

export function useDeleteAcmeAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/acme/accounts/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: acmeKeys.accounts }),
  });
}
