import type { TokenCreateBody, TokenCreated } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { tokenKeys } from './query-keys.js';

export function createToken(body: TokenCreateBody): Promise<TokenCreated> {
  return api.post<TokenCreated>('/tokens', body);
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
