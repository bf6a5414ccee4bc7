import type { ImportPolicy } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const importPolicyQueryOptions = queryOptions({
  queryKey: ['certificates', 'policy'],
  queryFn: ({ signal }) => api.get<ImportPolicy>('/certificates/policy', undefined, signal),
  staleTime: Infinity,
});

export function useImportPolicy() {
  return useQuery(importPolicyQueryOptions);
}
