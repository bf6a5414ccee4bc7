import type { SessionInfo, SetupBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

export async function completeSetup(body: SetupBody): Promise<SessionInfo> {
  const session = await api.post<SessionInfo>('/setup', body);
  setCsrfToken(session.csrfToken);
  return session;
}

export function useCompleteSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: completeSetup,
    onSuccess: () => {
      // GET /api/auth/me follows: it carries the permission list the setup answer lacks.
      queryClient.clear();
      queryClient.setQueryData(authKeys.setupStatus, { needsSetup: false });
    },
  });
}
