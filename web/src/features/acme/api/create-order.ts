import type { AcmeOrderAccepted, AcmeOrderCreateBody } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export function useCreateAcmeOrder() {
  return useMutation({
    mutationFn: (body: AcmeOrderCreateBody) => api.post<AcmeOrderAccepted>('/acme/orders', body),
  });
}
