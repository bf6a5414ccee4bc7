import type { BindingList } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const bindingsQueryKey = ['bindings'] as const;

export function getBindings(signal?: AbortSignal): Promise<BindingList> {
  return api.get<BindingList>('/bindings', undefined, signal);
}

export const bindingsQueryOptions = () =>
  queryOptions({ queryKey: bindingsQueryKey, queryFn: ({ signal }) => getBindings(signal) });

export function useBindings() {
  return useQuery(bindingsQueryOptions());
}
