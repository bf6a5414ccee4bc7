import type { SessionInfo } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

/** Who is signed in; also hands the CSRF token to the api client (it survives a page reload this way). */
export async function getMe(signal?: AbortSignal): Promise<SessionInfo> {
  const session = await api.get<SessionInfo>('/auth/me', undefined, signal);
  setCsrfToken(session.csrfToken);
  return session;
}

export const meQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.me,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 60_000,
    retry: false,
  });

export function useMe() {
  return useQuery(meQueryOptions());
}
