import type { CsrList } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const csrsQueryKey = ['csrs'] as const;

export function getCsrs(signal?: AbortSignal): Promise<CsrList> {
  return api.get<CsrList>('/csrs', undefined, signal);
}

export const csrsQueryOptions = () =>
  queryOptions({ queryKey: csrsQueryKey, queryFn: ({ signal }) => getCsrs(signal) });

export function useCsrs() {
  return useQuery(csrsQueryOptions());
}
