import type { LoginBody, SessionInfo } from '@certdesk/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';
import { meQueryKey } from './get-me.js';

export async function login(body: LoginBody): Promise<SessionInfo> {
  const session = await api.post<SessionInfo>('/auth/login', body);
  setCsrfToken(session.csrfToken);
  return session;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      // Another user may have been signed in before: drop everything cached for them.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, session);
    },
  });
}
