import type { AcmeAccount, AcmeAccountCreateBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { acmeKeys } from './query-keys.js';

export function useCreateAcmeAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AcmeAccountCreateBody) => api.post<AcmeAccount>('/acme/accounts', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: acmeKeys.accounts }),
  });
}
