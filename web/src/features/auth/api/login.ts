import type { LoginBody, SessionInfo } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

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
      queryClient.setQueryData(authKeys.me, session);
    },
  });
}
