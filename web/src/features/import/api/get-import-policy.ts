import type { ImportPolicy } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { importKeys } from './query-keys.js';

export const importPolicyQueryOptions = queryOptions({
  queryKey: importKeys.policy,
  queryFn: ({ signal }) => api.get<ImportPolicy>('/certificates/policy', undefined, signal),
  staleTime: Infinity,
});

export function useImportPolicy() {
  return useQuery(importPolicyQueryOptions);
}
