import type { UserList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { userKeys } from './query-keys.js';

export function getUsers(signal?: AbortSignal): Promise<UserList> {
  return api.get<UserList>('/users', undefined, signal);
}

export const usersQueryOptions = () =>
  queryOptions({ queryKey: userKeys.all, queryFn: ({ signal }) => getUsers(signal) });

export function useUsers() {
  return useQuery(usersQueryOptions());
}
