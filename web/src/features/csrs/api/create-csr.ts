import type { Csr, CsrCreateBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { csrKeys } from './query-keys.js';

export function createCsr(body: CsrCreateBody): Promise<Csr> {
  return api.post<Csr>('/csrs', body);
}

export function useCreateCsr() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCsr,
    onSuccess: (csr) => {
      queryClient.setQueryData(csrKeys.detail(csr.id), csr);
      // The dashboard lists the CSRs waiting for their certificate.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard });
      return queryClient.invalidateQueries({ queryKey: csrKeys.list });
    },
  });
}
