import type { Csr } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { csrKeys } from './query-keys.js';

export function getCsr(id: number, signal?: AbortSignal): Promise<Csr> {
  return api.get<Csr>(`/csrs/${id}`, undefined, signal);
}

export const csrQueryOptions = (id: number) =>
  queryOptions({ queryKey: csrKeys.detail(id), queryFn: ({ signal }) => getCsr(id, signal) });

export function useCsr(id: number) {
  return useQuery({ ...csrQueryOptions(id), enabled: Number.isInteger(id) && id > 0 });
}
