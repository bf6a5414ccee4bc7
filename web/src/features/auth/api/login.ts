import type { LoginBody, SessionInfo } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';

export async function login(body: LoginBody): Promise<SessionInfo> {
  const session = await api.post<SessionInfo>('/auth/login', body);
  setCsrfToken(session.csrfToken);
  return session;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: () => {
      // Another user may have been signed in before: drop everything cached for them. The console pages
      // then load GET /api/auth/me, which carries the role's permission list the sign-in answer lacks.
      queryClient.clear();
    },
  });
}
