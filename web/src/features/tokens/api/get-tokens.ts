import type { ApiTokenList } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const tokensQueryKey = ['tokens'] as const;

export function getTokens(signal?: AbortSignal): Promise<ApiTokenList> {
  return api.get<ApiTokenList>('/tokens', undefined, signal);
}

export const tokensQueryOptions = () =>
  queryOptions({ queryKey: tokensQueryKey, queryFn: ({ signal }) => getTokens(signal) });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
