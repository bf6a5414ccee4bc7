import type { Csr, CsrCreateBody } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { csrQueryKey } from './get-csr.js';
import { csrsQueryKey } from './get-csrs.js';

export function createCsr(body: CsrCreateBody): Promise<Csr> {
  return api.post<Csr>('/csrs', body);
}

export function useCreateCsr() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCsr,
    onSuccess: (csr) => {
      queryClient.setQueryData(csrQueryKey(csr.id), csr);
      return queryClient.invalidateQueries({ queryKey: csrsQueryKey, exact: true });
    },
  });
}
