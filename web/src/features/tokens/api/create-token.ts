import type { TokenCreateBody, TokenCreated } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { tokensQueryKey } from './get-tokens.js';

export function createToken(body: TokenCreateBody): Promise<TokenCreated> {
  return api.post<TokenCreated>('/tokens', body);
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensQueryKey }),
  });
}
