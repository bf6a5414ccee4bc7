import type { ApiTokenList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { tokenKeys } from './query-keys.js';

export function getTokens(signal?: AbortSignal): Promise<ApiTokenList> {
  return api.get<ApiTokenList>('/tokens', undefined, signal);
}

export const tokensQueryOptions = () =>
  queryOptions({ queryKey: tokenKeys.all, queryFn: ({ signal }) => getTokens(signal) });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
