import type { CsrList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { csrKeys } from './query-keys.js';

export function getCsrs(signal?: AbortSignal): Promise<CsrList> {
  return api.get<CsrList>('/csrs', undefined, signal);
}

export const csrsQueryOptions = () =>
  queryOptions({ queryKey: csrKeys.list, queryFn: ({ signal }) => getCsrs(signal) });

export function useCsrs() {
  return useQuery(csrsQueryOptions());
}
