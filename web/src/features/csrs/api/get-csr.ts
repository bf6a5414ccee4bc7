import type { Csr } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { csrsQueryKey } from './get-csrs.js';

export const csrQueryKey = (id: number) => [...csrsQueryKey, id] as const;

export function getCsr(id: number, signal?: AbortSignal): Promise<Csr> {
  return api.get<Csr>(`/csrs/${id}`, undefined, signal);
}

export const csrQueryOptions = (id: number) =>
  queryOptions({ queryKey: csrQueryKey(id), queryFn: ({ signal }) => getCsr(id, signal) });

export function useCsr(id: number) {
  return useQuery({ ...csrQueryOptions(id), enabled: Number.isInteger(id) && id > 0 });
}
