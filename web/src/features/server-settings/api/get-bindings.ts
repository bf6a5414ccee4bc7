import type { BindingList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

export function getBindings(signal?: AbortSignal): Promise<BindingList> {
  return api.get<BindingList>('/bindings', undefined, signal);
}

export const bindingsQueryOptions = () =>
  queryOptions({ queryKey: serverSettingsKeys.bindings, queryFn: ({ signal }) => getBindings(signal) });

export function useBindings() {
  return useQuery(bindingsQueryOptions());
}
