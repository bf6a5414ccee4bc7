import type { DecodeCsrBody, DecodedCsr } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export function decodeCsr(body: DecodeCsrBody): Promise<DecodedCsr> {
  return api.post<DecodedCsr>('/tools/decode-csr', body);
}

export function useDecodeCsr() {
  return useMutation({ mutationFn: decodeCsr });
}
